// What a link of an older settings version meant. A link holds only the settings that differed from the
// defaults of its day, so when the defaults change, an old link would silently load another run: the
// version is bumped instead, and the values an old link left out are put back here as they were then.
import type { Config } from '../core/config';

/** The version encodeConfig writes. Bump it (and add the old meaning below) whenever a default a link leaves out changes. */
export const LINK_VERSION = '4';

/**
 * Version 1 (written until session 5; test/fixtures/links/v1-decoded.json is how that page decoded it): every
 * run had a constant lr, CD and CT on 2D data 5e-3 without warm-up on a 4x256 MLP at batch 256, CT with fixed
 * N, l2 and mu0 = 0.5, ECT on 2D data lr 3e-4, and ECT q = 2 over 8 stages (0 = budget / 8).
 */
function v1LeftOut(dataset: Config['dataset'], mode: Config['mode']): Partial<Config> {
  // ECT's stage settings hold in every mode: a link's run switched to ECT later gets the stages it had then.
  const out: Partial<Config> = { lrDecay: 'constant', ectQ: 2, ectStageSteps: 0 };
  if (dataset === 'mnist') return out;
  if (mode === 'cd' || mode === 'ct') Object.assign(out, { lr: 5e-3, warmupSteps: 0, width: 256 });
  if (mode === 'ct') Object.assign(out, { nSchedule: 'fixed', metric: 'l2', mu0: 0.5, depth: 4, batchSize: 256 });
  if (mode === 'ect') out.lr = 3e-4;
  return out;
}

/**
 * Version 2 (written until session 14; test/fixtures/links/v2-decoded.json): digits sampled at the 2D data's
 * multistep taus, 0.585.
 */
function v2LeftOut(dataset: Config['dataset']): Partial<Config> {
  return dataset === 'mnist' ? { taus: [0.585] } : {};
}

/**
 * Version 3 (written until session 17; test/fixtures/links/v3-decoded.json): digits ran the two-level `unet` (the
 * digits' default model follows the best shipped CD model, `unet-large` since).
 */
function v3LeftOut(dataset: Config['dataset']): Partial<Config> {
  return dataset === 'mnist' ? { model: 'unet' } : {};
}

/** The settings an old link of `version` left out, with the values they had then; null for an unknown version. */
export function leftOutByVersion(version: string, dataset: Config['dataset'], mode: Config['mode']): Partial<Config> | null {
  if (version === LINK_VERSION) return {};
  if (version === '3') return v3LeftOut(dataset);
  if (version === '2') return { ...v3LeftOut(dataset), ...v2LeftOut(dataset) };
  if (version === '1') return { ...v3LeftOut(dataset), ...v2LeftOut(dataset), ...v1LeftOut(dataset, mode) };
  return null;
}
