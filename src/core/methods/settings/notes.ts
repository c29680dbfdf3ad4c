// A line under a setting that applies in part to the selected method (shown while it is enabled), where
// a disabled reason would hide something the method does read.
import type { Config, ConfigKey } from '../../config';
import { fixedTrainingGrid, gridNeighbours, gridTimeLabel } from '../../cm/trainingGrid';
import { METHOD_INFO } from './index';
import { sampleStepCounts } from './sampleSteps';

export function fieldNote(key: ConfigKey, c: Config): string | null {
  const info = METHOD_INFO[c.mode];
  if (key === 'taus' && !info.consistency) {
    // The flow methods' sampler takes 1, 2, 4, ... uniform steps, one entry per tau.
    const steps = sampleStepCounts(c).join(', ');
    return `${info.label} reads only how many taus there are: its samples take ${steps} uniform steps (the values are not used)`;
  }
  if (key === 'taus') return offGridTauNote(c);
  // sCM and the flow methods feed their own time, not c_noise; the MLP's time-feature frequencies still follow
  // the convention (models/timeFeatures.ts: PyTorch's are 1000x lower), so the setting changes their run.
  const ownTime = c.mode === 'sct' || c.mode === 'scd' ? 'its TrigFlow time t (scaled by 1/32)' : !info.consistency ? 'its time t in [0, 1]' : null;
  if (key === 'cNoiseConvention' && ownTime && c.model === 'mlp') {
    return `${info.label} feeds ${ownTime} to the network, not c_noise; this still sets the MLP's time-feature frequencies (PyTorch: 1000x lower)`;
  }
  return null;
}

/** CD and fixed-N CT train f only at the grid times; on 2D data taus between them sample worse (cm/trainingGrid.ts). */
function offGridTauNote(c: Config): string | null {
  const grid = fixedTrainingGrid(c);
  if (!grid) return null;
  for (const tau of c.taus) {
    const near = gridNeighbours(grid, tau);
    if (near) {
      return `τ = ${tau} lies between the grid times ${gridTimeLabel(near.lo)} and ${gridTimeLabel(near.hi)} (N = ${c.N}): ${METHOD_INFO[c.mode].label} trains f only at grid times, and on 2D data such taus gave ~1.3x the two-step SWD of a grid time (nearest: ${gridTimeLabel(near.nearest)})`;
    }
  }
  return null;
}
