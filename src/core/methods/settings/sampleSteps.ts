// Network evaluations of each entry of a run's samples, without tfjs (the page and the settings notes read it;
// test/unit/render/samplerLabels.test.ts keeps it equal to every method's sampleBudgets). Consistency models
// re-noise once per tau: entry i has i + 1 steps. The flow methods take 1, 2, 4, ... uniform steps, one entry per tau.
import type { Config } from '../../config';
import { METHOD_INFO } from './index';

export function sampleStepCounts(c: Pick<Config, 'mode' | 'taus'>): number[] {
  const consistency = METHOD_INFO[c.mode].consistency;
  return [1, ...c.taus.map((_, i) => (consistency ? i + 2 : 2 ** (i + 1)))];
}
