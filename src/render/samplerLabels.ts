// What each entry of a run's samples is, for legends and chart labels. The step counts are
// core/methods/settings/sampleSteps.ts's (the page cannot import the tfjs methods' sampleBudgets):
// consistency models (CD, CT, ECT, sCM) re-noise once per tau, the flow methods (MeanFlow, shortcut, flow
// matching) take 1, 2, 4, ... uniform steps, one entry per tau.
import type { Config } from '../core/config';
import { METHOD_INFO } from '../core/methods/settings/index';
import { sampleStepCounts } from '../core/methods/settings/sampleSteps';

export { sampleStepCounts };

type SamplerConfig = Pick<Config, 'mode' | 'taus'>;

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
