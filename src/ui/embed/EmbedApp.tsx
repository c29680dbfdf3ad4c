// One figure alone, for an iframe in slides or lecture notes: the view, Train/Pause/Reset, the step and a
// compact line of the run's settings. The settings come from the same link parameters as the full page.
import type { ComponentType } from 'react';
import { useConfig } from '../../state/configStore';
import { useRun } from '../../state/runStore';
import { session } from '../../state/session';
import { shareUrl } from '../../state/urlSync';
import { useShortcuts, shortcutOf } from '../actions';
import { DenoiseView, DigitLossView, DigitQualityView, SampleGrids, TrajectoryStripView } from '../mnist/MnistViews';
import { Notices } from '../Notices';
import { FlowMapView } from '../FlowMapView';
import { ConsistencyView, LossView, QualityView, SamplesView, ScheduleView, ScrubberView } from '../ViewsPanel';
import { resolveEmbed, type EmbedName } from './embedNames';
import { runSummary } from './runSummary';

const FIGURES: Record<'2d' | 'image', Partial<Record<EmbedName, ComponentType>>> = {
  '2d': { samples: SamplesView, consistency: ConsistencyView, scrubber: ScrubberView, flowmap: FlowMapView, loss: LossView, quality: QualityView, schedule: ScheduleView },
  image: { digits: SampleGrids, 'trajectory-strip': TrajectoryStripView, denoise: DenoiseView, loss: DigitLossView, 'digit-quality': DigitQualityView },
};

function EmbedControls() {
  const training = useRun((s) => s.training);
  const ready = useRun((s) => s.configured && !s.configuring);
  const step = useRun((s) => s.step);
  const config = useConfig((s) => s.config);
  return (
    <section className="embed-bar" aria-label="Training controls">
      <div className="buttons">
        <button type="button" className="primary" disabled={!ready} aria-keyshortcuts="Space"
          title={`${training ? 'Pause' : 'Train'} (${shortcutOf('toggle')})`} onClick={() => void session().toggleTraining()}>
          {training ? 'Pause' : 'Train'}
        </button>
        <button type="button" disabled={!ready} aria-keyshortcuts="R" title={`Back to step 0 with the same seed (${shortcutOf('reset')})`}
          onClick={() => void session().reset()}>
          Reset
        </button>
      </div>
      <span className="counter">
        <span className="counter-label">step</span>
        <output role="status" aria-label="Step count" className="counter-value">{step}</output>
      </span>
      <span className="embed-settings" aria-label="Run settings">{runSummary(config)}</span>
      <a className="embed-open" href={shareUrl()} target="_blank" rel="noopener">Open in the playground</a>
    </section>
  );
}

export function EmbedApp({ view }: { view: string }) {
  useShortcuts();
  const dataset = useConfig((s) => s.config.dataset);
  const choice = resolveEmbed(view, dataset);
  const Figure = choice.ok ? FIGURES[dataset === 'mnist' ? 'image' : '2d'][choice.name] : undefined;
  return (
    <main className={`embed embed-${choice.ok ? choice.name : 'invalid'}`} aria-label="Embedded figure">
      <h1 className="visually-hidden">Consistency model playground: one figure</h1>
      <Notices />
      {Figure ? <Figure /> : (
        <div className="embed-error" role="alert">
          <strong>This figure cannot be shown.</strong>
          <p>{choice.ok ? '' : choice.message}</p>
        </div>
      )}
      <EmbedControls />
    </main>
  );
}
