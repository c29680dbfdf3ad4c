// Train / Pause, single steps, reset, a new seed, the step budget with its ETA, and the speed.
import { session } from '../state/session';
import { etaSeconds, formatDuration } from '../state/series';
import { useConfig } from '../state/configStore';
import { methodPhase } from '../state/methodPhase';
import { useRun } from '../state/runStore';
import { shortcutOf } from './actions';
import { FieldControl } from './FieldControl';
import { QualityReadout } from './QualityReadout';

export function Transport() {
  const training = useRun((s) => s.training);
  const ready = useRun((s) => s.configured && !s.configuring);
  const step = useRun((s) => s.step);
  const teacherStep = useRun((s) => s.teacherStep);
  const progressPhase = useRun((s) => s.progressPhase);
  const stepsPerSecond = useRun((s) => s.stepsPerSecond);
  const msPerStep = useRun((s) => s.msPerStep);
  const budget = useConfig((s) => s.config.steps);
  const phase = useConfig((s) => methodPhase(s.config, step));
  const eta = training ? etaSeconds(step, budget, stepsPerSecond) : null;

  return (
    <section className="transport" aria-label="Training controls">
      <div className="buttons">
        <button type="button" className="primary" disabled={!ready} aria-keyshortcuts="Space"
          title={`${training ? 'Pause' : 'Train'} (${shortcutOf('toggle')})`}
          onClick={() => void session().toggleTraining()}>
          {training ? 'Pause' : 'Train'}
        </button>
        <button type="button" disabled={!ready || training} aria-keyshortcuts="ArrowRight"
          title={`One training step (${shortcutOf('step')})`} onClick={() => void session().step(1)}>
          Step
        </button>
        <button type="button" disabled={!ready || training} aria-label="Advance 10" title="Ten training steps"
          onClick={() => void session().step(10)}>
          +10
        </button>
        <button type="button" disabled={!ready} aria-keyshortcuts="R"
          title={`Back to step 0 with the same seed: the same initial weights and noise (${shortcutOf('reset')})`}
          onClick={() => void session().reset()}>
          Reset
        </button>
        <button type="button" className="secondary" title="A different seed for data, initial weights and noise (restarts the run)"
          onClick={() => session().newSeed()}>
          New seed
        </button>
      </div>
      <div className="counters">
        <div className="counter">
          <span className="counter-label">step</span>
          <output role="status" aria-label="Step count" className="counter-value">{step}</output>
          <span className="muted"> / {budget}</span>
        </div>
        {phase && (
          <div className="counter"><span className="counter-label">phase</span><span className="counter-value" aria-label="Method phase">{phase}</span></div>
        )}
        {progressPhase === 'teacher' && (
          <div className="counter"><span className="counter-label">teacher step</span><span className="counter-value">{teacherStep}</span></div>
        )}
        <div className="counter speed">
          <span className="counter-label">speed</span>
          <span className="counter-value">{stepsPerSecond > 0 ? `${stepsPerSecond.toFixed(stepsPerSecond < 10 ? 1 : 0)} steps/s` : '–'}</span>
          <span className="muted">{msPerStep > 0 ? ` · ${msPerStep.toFixed(msPerStep < 10 ? 1 : 0)} ms/step` : ''}</span>
        </div>
        <div className="counter eta">
          <span className="counter-label">ETA</span>
          <span className="counter-value">{formatDuration(eta)}</span>
        </div>
        <QualityReadout />
        <FieldControl name="steps" compact />
      </div>
      <p className="shortcuts muted">Keys: Space train/pause · → one step · R reset</p>
    </section>
  );
}
