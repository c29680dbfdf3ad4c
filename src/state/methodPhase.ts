// The warm-up phase some methods train through before their own loss: ECT's fit to the exact 2D denoiser
// (few-step-methods.md 3.4) and sCM's TrigFlow diffusion pre-training (4.5). Their loss is another
// quantity, so the page names the phase while it lasts (the loss curve changes when it ends).
import type { Config } from '../core/config';

type PhaseConfig = Pick<Config, 'mode' | 'dataset' | 'teacher' | 'ectPrefitSteps' | 'scmPretrain'>;

/** "what (done / total)" while the run is in such a phase after `step` completed steps, else null. */
export function methodPhase(c: PhaseConfig, step: number): string | null {
  // As methods/ect.ts: the pre-fit needs the exact denoiser, which 2D data have and digits do not.
  const ectPrefit = c.mode === 'ect' && c.teacher === 'exact' && c.dataset !== 'mnist' ? c.ectPrefitSteps : 0;
  if (step < ectPrefit) return `pre-fit to the exact denoiser (${step} / ${ectPrefit})`;
  if ((c.mode === 'sct' || c.mode === 'scd') && step < c.scmPretrain) return `diffusion pre-training (${step} / ${c.scmPretrain})`;
  return null;
}
