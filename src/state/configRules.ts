// What else must change when one setting changes, so the UI never offers a dead end: picking MNIST
// switches the MLP to a U-Net, leaving it switches back, and image-only options fall away.
import { crossFieldErrors, type Config, type ConfigKey } from '../core/config';

export function withCompanions(next: Config, changed: ConfigKey): Config {
  if (changed !== 'dataset') return next;
  const c = { ...next };
  const image = c.dataset === 'mnist';
  if (image && c.model === 'mlp') c.model = 'unet-tiny';
  if (!image && c.model !== 'mlp') c.model = 'mlp';
  if (!image && c.metric === 'lpips') c.metric = 'l2';
  if (!image && c.teacher === 'pretrained') c.teacher = 'exact';
  if (image && c.teacher === 'exact') c.teacher = 'pretrained';
  return c;
}

/** Config keys the worker does not need a configure for (handled by their own command). */
export const SEPARATE_COMMAND_KEYS: readonly ConfigKey[] = ['backend'];

/** The cross-field problems a change would introduce (empty when it is fine). */
export function newConflicts(before: Config, after: Config): string[] {
  const old = new Set(crossFieldErrors(before));
  return crossFieldErrors(after).filter((e) => !old.has(e));
}
