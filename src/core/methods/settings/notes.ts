// A line under a setting that applies in part to the selected method (shown while it is enabled), where
// a disabled reason would hide something the method does read.
import type { Config, ConfigKey } from '../../config';
import { METHOD_INFO } from './index';
import { sampleStepCounts } from './sampleSteps';

export function fieldNote(key: ConfigKey, c: Config): string | null {
  const info = METHOD_INFO[c.mode];
  if (key === 'taus' && !info.consistency) {
    // The flow methods' sampler takes 1, 2, 4, ... uniform steps, one entry per tau.
    const steps = sampleStepCounts(c).join(', ');
    return `${info.label} reads only how many taus there are: its samples take ${steps} uniform steps (the values are not used)`;
  }
  return null;
}
