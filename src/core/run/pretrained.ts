// The shipped pretrained MNIST consistency models and the run modes they belong in (no tfjs: the page's
// main thread reads this too).

/**
 * The Model setting every shipped MNIST file (teacher, CD, CT, ECT) was trained as: the digits' default model, and
 * the only one the pretrained teacher and the Load buttons work with. Shipping `unet-large` files means changing this.
 */
export const PRETRAINED_MODEL = 'unet';

/** The shipped pretrained consistency models, by the method that trained them. */
export type PretrainedRole = 'cd' | 'ct' | 'ect';
export const PRETRAINED_ROLES: readonly PretrainedRole[] = ['cd', 'ct', 'ect'];

/**
 * Why a shipped model does not belong in a run of this mode, or null. CD and CT share f's shifted
 * parameterisation (f(x, eps) = x); ECT's f is unshifted (f(x, 0) = x), so its file runs in the ECT mode only.
 */
export function pretrainedModeProblem(mode: string, role: PretrainedRole): string | null {
  const fits = role === 'ect' ? mode === 'ect' : mode === 'cd' || mode === 'ct';
  if (fits) return null;
  // CD's and CT's texts are the same, so the page shows one line for both buttons.
  return role === 'ect' ? 'the shipped ECT model runs in the ECT mode (its f is unshifted: f(x, 0) = x)'
    : 'the shipped CD and CT models run in the CD and CT modes (their f is shifted: f(x, eps) = x)';
}
