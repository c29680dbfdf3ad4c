// Which backend runs, on which adapter, why it fell back, and what the worker is doing right now.
import { useRun } from '../state/runStore';
import { FieldControl } from './FieldControl';

const PHASE_LABEL: Record<string, string> = {
  idle: 'idle',
  loading: 'loading',
  'warming-up': 'compiling shaders…',
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
  const label = PHASE_LABEL[phase] ?? phase;
  return (
    <section className="status-bar" aria-label="Backend status">
      <div className="status-item">
        <span className="counter-label">backend</span>
        <span role="status" aria-label="Active backend" className="backend-name">{backend ?? '…'}</span>
      </div>
      <div className="status-item adapter" title={adapter ?? undefined}>
        <span className="counter-label">adapter</span>
        <span>{adapter ?? '–'}</span>
      </div>
      <div className={`status-item phase phase-${phase}`}>
        <span className="counter-label">worker</span>
        <span aria-live="polite">{label}{message && message !== label && phase !== 'training' ? ` — ${message}` : ''}</span>
      </div>
      <FieldControl name="backend" compact />
      {fallback.length > 0 && (
        <details className="fallback">
          <summary>Why not the first choice?</summary>
          <ul>{fallback.map((r) => <li key={r}>{r}</li>)}</ul>
        </details>
      )}
    </section>
  );
}
