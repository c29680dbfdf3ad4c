// What else must change when one setting changes, so the UI never offers a dead end: picking MNIST
// switches the MLP to the shipped U-Net (the pretrained models are for it) with an image-sized batch and
// learning rate, leaving it switches back, and image-only options fall away.
import { crossFieldErrors, DEFAULTS, ECT_LR_2D, withDatasetDefaults, type Config, type ConfigKey } from '../core/config';
import { pretrainedModeProblem, type PretrainedRole } from '../core/run/pretrained';

const IMAGE = withDatasetDefaults({ ...DEFAULTS, dataset: 'mnist' }, new Set());

export function withCompanions(next: Config, changed: ConfigKey): Config {
  const image = next.dataset === 'mnist';
  if (changed === 'model' && image && next.model !== 'unet' && next.teacher === 'pretrained') return { ...next, teacher: 'learned' };
  // ECT diverges at the 2D default learning rate once Delta t is small: switch an untouched rate over and back.
  if (changed === 'mode' && !image) {
    if (next.mode === 'ect' && next.lr === DEFAULTS.lr) return { ...next, lr: ECT_LR_2D };
    if (next.mode !== 'ect' && next.lr === ECT_LR_2D) return { ...next, lr: DEFAULTS.lr };
  }
  if (changed !== 'dataset') return next;
  const c = { ...next };
  if (image && c.model === 'mlp') {
    // Coming from 2D: keep a batch the user already made small and a learning rate they chose.
    c.model = IMAGE.model;
    c.batchSize = Math.min(c.batchSize, IMAGE.batchSize);
    if (c.lr === DEFAULTS.lr) c.lr = IMAGE.lr;
  }
  if (!image && c.model !== 'mlp') {
    c.model = 'mlp';
    if (c.batchSize === IMAGE.batchSize) c.batchSize = DEFAULTS.batchSize;
    if (c.lr === IMAGE.lr) c.lr = DEFAULTS.lr;
  }
  if (!image && c.metric === 'lpips') c.metric = 'l2';
  if (!image && c.teacher === 'pretrained') c.teacher = 'exact';
  if (image && c.teacher === 'exact') c.teacher = c.model === 'unet' ? 'pretrained' : 'learned';
  return c;
}

/** The shipped model a run of this mode starts from on MNIST (CD, CT, ECT), or null for the other methods. */
export function pretrainedRoleFor(mode: Config['mode']): PretrainedRole | null {
  return mode === 'cd' || mode === 'ct' || mode === 'ect' ? mode : null;
}

/** Why the shipped MNIST model `role` (default: the mode's own) cannot be loaded into this run, or null when it can. */
export function pretrainedUnavailableReason(c: Config, role: PretrainedRole = pretrainedRoleFor(c.mode) ?? 'cd'): string | null {
  if (c.dataset !== 'mnist') return 'the shipped models are MNIST models';
  if (c.model !== 'unet') return 'the shipped models are for the "unet" model';
  const wrongMode = pretrainedModeProblem(c.mode, role);
  if (wrongMode) return wrongMode;
  if (c.mode !== 'ct' && c.teacher === 'learned') return 'with a learned teacher the teacher trains first; choose the pretrained teacher';
  return null;
}

/** Config keys the worker does not need a configure for (handled by their own command). */
export const SEPARATE_COMMAND_KEYS: readonly ConfigKey[] = ['backend'];

/** The cross-field problems a change would introduce (empty when it is fine). */
export function newConflicts(before: Config, after: Config): string[] {
  const old = new Set(crossFieldErrors(before));
  return crossFieldErrors(after).filter((e) => !old.has(e));
}
