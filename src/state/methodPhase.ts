// The warm-up phase some methods train through before their own loss: ECT's fit to the exact 2D denoiser
// (few-step-methods.md 3.4) and sCM's TrigFlow diffusion pre-training (4.5). Their loss is another
// quantity, so the page names the phase while it lasts (the loss curve changes when it ends).
import type { Config } from '../core/config';

type PhaseConfig = Pick<Config, 'mode' | 'dataset' | 'teacher' | 'ectPrefitSteps' | 'scmPretrain'>;

/** The method's warm-up phase (what it is and how many steps it takes), or null where it has none. */
export function warmupPhase(c: PhaseConfig): { what: string; steps: number } | null {
  // As methods/ect.ts: the pre-fit needs the exact denoiser, which 2D data have and digits do not.
  const ectPrefit = c.mode === 'ect' && c.teacher === 'exact' && c.dataset !== 'mnist' ? c.ectPrefitSteps : 0;
  if (ectPrefit > 0) return { what: 'pre-fit to the exact denoiser', steps: ectPrefit };
  if ((c.mode === 'sct' || c.mode === 'scd') && c.scmPretrain > 0) return { what: 'diffusion pre-training', steps: c.scmPretrain };
  return null;
}

/** "what (done / total)" while the run is in such a phase after `step` completed steps, else null. */
export function methodPhase(c: PhaseConfig, step: number): string | null {
  const phase = warmupPhase(c);
  return phase && step < phase.steps ? `${phase.what} (${step} / ${phase.steps})` : null;
}
