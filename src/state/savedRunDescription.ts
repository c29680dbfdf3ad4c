// Names and one-line summaries of saved runs, read from the run file itself, so the settings kept with a
// checkpoint are always the ones it was trained with (even when the page's settings changed meanwhile).
import type { Config } from '../core/config';
import { METHOD_INFO } from '../core/methods/settings/index';
import { changedMethodSettings, optionLabel, usesDiscreteLoss } from '../core/methods/settings/summary';
import { readSafetensors } from '../core/io/safetensors';
import { peekRunFile } from '../core/run/runFile';

export interface RunFileSettings {
  config: Config;
  points: Float64Array | null;
}

/** The validated settings and custom points of a run file; throws with the reason when it has none. */
export function runFileSettings(bytes: ArrayBuffer): RunFileSettings {
  const u8 = new Uint8Array(bytes);
  const { config, configErrors } = peekRunFile(u8);
  if (!config) throw new Error('the checkpoint holds no settings');
  if (configErrors.length > 0) throw new Error(`the checkpoint's settings are invalid: ${configErrors.join('; ')}`);
  const pts = readSafetensors(u8).tensors.get('data/points');
  return { config, points: pts ? Float64Array.from(pts.data as ArrayLike<number>) : null };
}

const DATASET_NAMES: Partial<Record<string, string>> = { mnist: 'MNIST digits', 'eight-gaussians': 'eight Gaussians', 'grid-25': '25 Gaussians', custom: 'your points' };

export function runName(c: Config): string {
  return `${METHOD_INFO[c.mode].label} on ${DATASET_NAMES[c.dataset] ?? c.dataset}, seed ${c.seed}`;
}

export function runSummary(c: Config): string {
  const model = c.model === 'mlp' ? `MLP ${c.depth}x${c.width}` : c.model;
  // N and the metric are CD and CT's (N only when fixed: a schedule ignores it); the other methods show their
  // own settings that differ from the defaults.
  const n = c.nSchedule === 'fixed' ? `N ${c.N}` : optionLabel('nSchedule', c);
  const target = usesDiscreteLoss(c) ? [n, `${c.metric}`] : changedMethodSettings(c);
  const parts = [METHOD_INFO[c.mode].label, c.dataset, model, `batch ${c.batchSize}`, `lr ${c.lr}`, ...target, `budget ${c.steps}`];
  return parts.join(' · ');
}
