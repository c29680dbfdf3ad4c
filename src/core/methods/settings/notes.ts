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
  // sCM and the flow methods feed their own time, not c_noise; the MLP's time-feature frequencies still follow
  // the convention (models/timeFeatures.ts: PyTorch's are 1000x lower), so the setting changes their run.
  const ownTime = c.mode === 'sct' || c.mode === 'scd' ? 'its TrigFlow time t (scaled by 1/32)' : !info.consistency ? 'its time t in [0, 1]' : null;
  if (key === 'cNoiseConvention' && ownTime && c.model === 'mlp') {
    return `${info.label} feeds ${ownTime} to the network, not c_noise; this still sets the MLP's time-feature frequencies (PyTorch: 1000x lower)`;
  }
  return null;
}
