// Instant start: the shipped pretrained CD and CT models (U-Net), loaded into the current run to look at,
// fine-tune (Train) or replace by training from scratch (Reset).
import { useConfig } from '../../state/configStore';
import { pretrainedUnavailableReason } from '../../state/configRules';
import { useRun } from '../../state/runStore';
import { session } from '../../state/session';

export function PretrainedBar() {
  const role = useRun((s) => s.pretrainedRole);
  const loading = useRun((s) => s.loadingPretrained);
  const ready = useRun((s) => s.configured && !s.configuring);
  const step = useRun((s) => s.step);
  const why = useConfig((s) => pretrainedUnavailableReason(s.config));
  const status = loading ? 'Loading the pretrained model…'
    : role ? `Showing the shipped pretrained ${role.toUpperCase()} model${step > 0 ? `, fine-tuned for ${step} steps` : ''}. Train fine-tunes it; Reset trains from scratch.`
      : 'Weights from this run (no pretrained model loaded).';
  return (
    <div className="mnist-pretrained" aria-label="Pretrained models">
      <button type="button" disabled={!ready || loading} title={why ?? 'Consistency distillation from the shipped EDM teacher'}
        onClick={() => void session().loadPretrained('cd')}>
        Load pretrained CD
      </button>
      <button type="button" disabled={!ready || loading} title={why ?? 'Consistency training from scratch, no teacher'}
        onClick={() => void session().loadPretrained('ct')}>
        Load pretrained CT
      </button>
      <span role="status" aria-label="Pretrained status" className="muted">{status}</span>
      {why && <span className="field-reason">{why}</span>}
    </div>
  );
}
