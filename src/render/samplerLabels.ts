// What each entry of a run's samples is, for legends and chart labels (the page cannot import the tfjs
// methods, so this mirrors their sampleBudgets; test/unit/render/samplerLabels.test.ts keeps them equal).
// Consistency models (CD, CT, ECT, sCM) re-noise once per tau: entry i has i + 1 steps. The flow methods
// (MeanFlow, shortcut, flow matching) take 1, 2, 4, ... uniform steps, one entry per tau.
import type { Config } from '../core/config';
import { METHOD_INFO } from '../core/methods/settings/index';

type SamplerConfig = Pick<Config, 'mode' | 'taus'>;

/** Network evaluations of each sample entry: [1, 2, 3, ...] or [1, 2, 4, ...]. */
export function sampleStepCounts(c: SamplerConfig): number[] {
  const consistency = METHOD_INFO[c.mode].consistency;
  return [1, ...c.taus.map((_, i) => (consistency ? i + 2 : 2 ** (i + 1)))];
}

/** Legend label of sample entry `index` (0 = one step); `short` leaves out f(x_T, T) and the taus (charts). */
export function sampleLabel(c: SamplerConfig, index: number, short = false): string {
  const consistency = METHOD_INFO[c.mode].consistency;
  if (index === 0) return short ? 'one step' : consistency ? 'one step f(x_T, T)' : 'one step from noise';
  const steps = sampleStepCounts(c)[index];
  if (!consistency) return `${steps} uniform steps`;
  return short ? `${steps} steps` : `${steps} steps, taus ${c.taus.slice(0, index).join(', ')}`;
}

/** Index of the multistep entry the quality evaluation scores (session.evaluate: samples[1], two steps). */
export const SCORED_MULTISTEP_INDEX = 1;
