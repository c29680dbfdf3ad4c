// The page layout; state lives in the stores and the canvases are drawn by the render loop.
import { ComparePanel } from './compare/ComparePanel';
import { ControlsPanel } from './ControlsPanel';
import { DataPanel } from './DataPanel';
import { EditPanel } from './edit/EditPanel';
import { Header } from './Header';
import { LpipsPanel } from './lpips/LpipsPanel';
import { Notices } from './Notices';
import { ResumeOffer, SavedRunsPanel } from './SavedRunsPanel';
import { SharePanel } from './SharePanel';
import { StatusBar } from './StatusBar';
import { AnatomyPanel } from './teach/AnatomyPanel';
import { TeachBar } from './teach/TeachBar';
import { Tour } from './tour/Tour';
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
        <TeachBar />
      </div>
      <Notices />
      <ResumeOffer />
      <div className="layout">
        <aside className="sidebar">
          <DataPanel />
          <ControlsPanel />
          <LpipsPanel />
          <SavedRunsPanel />
        </aside>
        <main className="main">
          <AnatomyPanel />
          <ComparePanel />
          <ViewsPanel />
          <EditPanel />
          <SharePanel />
        </main>
      </div>
      <Tour />
    </div>
  );
}
