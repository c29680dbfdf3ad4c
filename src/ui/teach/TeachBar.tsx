// The teaching tools next to the transport: one step in slow motion, side-by-side comparisons, stop
// rules and Rewind.
import { useConfig } from '../../state/configStore';
import { useRun } from '../../state/runStore';
import { openAnatomy, useAnatomy } from '../../state/teach/anatomy';
import { useEffect } from 'react';
import { openCompare, openCompareFromUrl } from '../../state/compare/compareRuns';
import { useCompare } from '../../state/compare/compareStore';
import { RunControls } from './RunControls';
import './teach.css';

let opened = false;

export function TeachBar() {
  const image = useConfig((s) => s.config.dataset === 'mnist');
  const mode = useConfig((s) => s.config.mode);
  const consistencyStep = mode === 'cd' || mode === 'ct';
  const ready = useRun((s) => s.configured && !s.configuring && s.progressPhase === 'student');
  const anatomyOpen = useAnatomy((s) => s.open);
  const compareOpen = useCompare((s) => s.open);
  // A shared link with a comparison opens it (once: later changes of the address are the page's own).
  useEffect(() => {
    if (!opened) {
      opened = true;
      openCompareFromUrl();
    }
  }, []);
  return (
    <div className="teach-bar">
      <button type="button" disabled={image || !consistencyStep || !ready || anatomyOpen}
        title={image ? 'For 2D data: the step is drawn in the data plane'
          : !consistencyStep ? 'For CD and CT steps (Algorithms 2 and 3)'
            : 'Walk through the run\'s next training step, stage by stage, with the trainer\'s own numbers'}
        onClick={() => void openAnatomy()}>
        Anatomy of a step
      </button>
      <button type="button" disabled={compareOpen} title="Train two to four configurations side by side on the same data and seed"
        onClick={() => openCompare()}>
        Compare
      </button>
      <RunControls />
    </div>
  );
}
