// Which backend runs, on which adapter, why (auto's measurement or a fallback), and what the worker is doing.
import { useConfig } from '../state/configStore';
import { useRun } from '../state/runStore';
import { session } from '../state/session';
import { FieldControl } from './FieldControl';
import { GpuStepReadout } from './GpuStepReadout';

const PHASE_LABEL: Record<string, string> = {
  idle: 'idle',
  loading: 'loading',
  'warming-up': 'preparing',
  teacher: 'training the teacher',
  training: 'training',
  paused: 'paused',
  done: 'done',
  failed: 'failed',
};

export function StatusBar() {
  const backend = useRun((s) => s.backend);
  const adapter = useRun((s) => s.adapter);
  const fallback = useRun((s) => s.fallbackReasons);
  const phase = useRun((s) => s.phase);
  const message = useRun((s) => s.statusMessage);
  const reason = useRun((s) => s.backendReason);
  const auto = useConfig((s) => s.config.backend === 'auto');
  const label = PHASE_LABEL[phase] ?? phase;
  return (
    <section className="status-bar" aria-label="Backend status">
      <div className="status-item">
        <span className="counter-label">backend</span>
        <span role="status" aria-label="Active backend" className="backend-name">{backend ?? '…'}</span>
      </div>
      <GpuStepReadout />
      <div className="status-item adapter" title={adapter ?? undefined}>
        <span className="counter-label">adapter</span>
        <span>{adapter ?? '–'}</span>
      </div>
      <div className={`status-item phase phase-${phase}`}>
        <span className="counter-label">worker</span>
        <span aria-live="polite">{label}{message && message !== label && phase !== 'training' ? ` — ${message}` : ''}</span>
      </div>
      <FieldControl name="backend" compact />
      {auto && (
        <div className="status-item backend-reason">
          <span className="counter-label">auto chose</span>
          <span aria-label="Backend choice">{reason ?? 'measuring…'}</span>
          <button type="button" className="link" disabled={!reason} title="Forget the remembered choice and time each usable backend again (2 s at most)"
            onClick={() => void session().remeasure()}>
            re-measure
          </button>
        </div>
      )}
      {fallback.length > 0 && (
        <details className="fallback">
          <summary>Why not the first choice?</summary>
          <ul>{fallback.map((r) => <li key={r}>{r}</li>)}</ul>
        </details>
      )}
    </section>
  );
}
