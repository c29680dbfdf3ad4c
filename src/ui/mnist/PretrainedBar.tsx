// Instant start: the shipped pretrained CD, CT and ECT models (U-Net), loaded into the current run to look at,
// fine-tune (Train) or replace by training from scratch (Reset). CD and CT load into CD/CT runs, ECT into ECT runs;
// a button that cannot work in this run is disabled, with its reason shown under the bar.
import { useId } from 'react';
import { useConfig } from '../../state/configStore';
import { METHOD_INFO } from '../../core/methods/settings/index';
import { pretrainedLoadProblem, pretrainedRoleFor, pretrainedUnavailableReason } from '../../state/configRules';
import { useRun } from '../../state/runStore';
import { session } from '../../state/session';
import type { PretrainedRole } from '../../core/run/pretrained';

const MODELS: readonly { role: PretrainedRole; label: string }[] = [
  { role: 'cd', label: 'Load pretrained CD' },
  { role: 'ect', label: 'Load pretrained ECT' },
  { role: 'ct', label: 'Load pretrained CT (undertrained: scribbles)' },
];

/**
 * What each shipped model is, by method and the Model it was trained as (PRETRAINED_STUDENTS); the numbers are
 * scripts/torch/README.md's (one-step FD on 1,000 samples).
 */
export const PRETRAINED_ABOUT: Readonly<Record<string, string>> = {
  'cd unet': 'Consistency distillation from the EDM teacher as it trained (50,172 steps: 2,556 from its 15,106-step state, 6,380 against its 19,106-step state, 4,219 against its 29,255-step state, 37,017 against the shipped 36,745-step teacher; FD 98 in one step, 66 in two at the default tau for digits, 1.7; 79 at the paper\'s 0.585)',
  'cd unet-large': 'Consistency distillation from the unet-large EDM teacher (35-step FD 26.9): 8,988 steps (1,100 against its 6,000-step state, 7,888 against the shipped 8,139-step teacher); FD 56 in one step, 40 in two at the default tau for digits, 1.7, 39 in three',
  'ect unet': 'Easy consistency tuning started from the 29,255-step state of the EDM teacher (14,154 ECT steps), for ECT runs (one-step FD 141, two-step 82 at the default tau for digits, 1.7; 93 at ECT\'s own 0.821)',
  'ect unet-large': 'Easy consistency tuning started from the shipped unet-large EDM teacher (11,621 ECT steps, stages 1-4), for ECT runs (one-step FD 52, two-step 31 at the default tau for digits, 1.7; 28 in three)',
  'ct unet': 'Consistency training from scratch, no teacher; only 417 CPU steps, so it draws scribbles, not digits (FD ~930)',
};

export function PretrainedBar() {
  const role = useRun((s) => s.pretrainedRole);
  const loading = useRun((s) => s.loadingPretrained);
  const ready = useRun((s) => s.configured && !s.configuring);
  const step = useRun((s) => s.step);
  const config = useConfig((s) => s.config);
  const idBase = useId();
  const status = loading ? 'Loading the pretrained model…'
    : role ? `Showing the shipped pretrained ${role.toUpperCase()} model${role === 'ct' ? ' (undertrained: scribbles)' : ''}${step > 0 ? `, fine-tuned for ${step} steps` : ''}. Train fine-tunes it; Reset trains from scratch.`
      : 'Weights from this run (no pretrained model loaded).';
  const models = MODELS.map((m) => ({ ...m, problem: pretrainedLoadProblem(config, m.role) }));
  // One line per distinct reason (the dataset and model reasons are the same for all three buttons).
  const reasons = [...new Set(models.flatMap((m) => (m.problem ? [m.problem] : [])))];
  const reasonId = (problem: string) => `${idBase}-why-${reasons.indexOf(problem)}`;
  const labelsFor = (problem: string) => models.filter((m) => m.problem === problem).map((m) => m.role.toUpperCase());
  // Why the run did not start from its own shipped model although its button works (a learned teacher), or,
  // for a method no shipped model belongs to, where it starts instead.
  const info = METHOD_INFO[config.mode];
  const own = pretrainedRoleFor(config.mode);
  const why = own ? (role || pretrainedLoadProblem(config, own) ? null : pretrainedUnavailableReason(config, own))
    : config.dataset === 'mnist' ? `${info.label} has no shipped model: it ${info.teacher === 'none' ? 'trains from scratch' : 'starts from scratch and learns from the teacher'}.` : null;
  return (
    <div className="mnist-pretrained" aria-label="Pretrained models">
      {models.map((m) => (
        <button key={m.role} type="button" disabled={!ready || loading || !!m.problem} title={m.problem ?? PRETRAINED_ABOUT[`${m.role} ${config.model}`]}
          aria-describedby={m.problem ? reasonId(m.problem) : undefined}
          onClick={() => void session().loadPretrained(m.role)}>
          {m.label}
        </button>
      ))}
      <span role="status" aria-label="Pretrained status" className="muted">{status}</span>
      {reasons.map((r) => (
        <span key={r} id={reasonId(r)} className="field-reason">{labelsFor(r).join(', ')}: {r}</span>
      ))}
      {why && <span className="field-reason">{why}</span>}
    </div>
  );
}
