// The page layout; state lives in the stores and the canvases are drawn by the render loop.
import { ControlsPanel } from './ControlsPanel';
import { DataPanel } from './DataPanel';
import { Header } from './Header';
import { Notices } from './Notices';
import { SharePanel } from './SharePanel';
import { StatusBar } from './StatusBar';
import { Transport } from './Transport';
import { ViewsPanel } from './ViewsPanel';
import { useShortcuts } from './actions';

export function App() {
  useShortcuts();
  return (
    <div className="app">
      <Header />
      <div className="toolbar">
        <Transport />
        <StatusBar />
      </div>
      <Notices />
      <div className="layout">
        <aside className="sidebar">
          <DataPanel />
          <ControlsPanel />
        </aside>
        <main className="main">
          <ViewsPanel />
          <SharePanel />
        </main>
      </div>
    </div>
  );
}
