// A line under a setting that applies in part to the selected method (shown while it is enabled), where
// a disabled reason would hide something the method does read.
import type { Config, ConfigKey } from '../../config';
import { karrasSigmasAscending } from '../../schedule';
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

const GRID_TOLERANCE = 0.005; // relative: the paper's 0.585 is the N = 18 grid time 0.585348
const short = (v: number) => String(Number(v.toPrecision(3)));

/**
 * CD, and CT at a fixed N, train f only at the N grid times, and a 2D MLP does not fill in between: with the page's
 * settings (2,000 steps, N = 18; moons, eight Gaussians, swiss roll, seeds 1-5, 4,000-sample SWD,
 * test/bench/tauProbe.ts) two-step samples at taus between grid times scored ~1.3x (up to 2x) the SWD of taus on
 * the grid, at times worse than one step. The digits' U-Net was smooth in tau (its best, 1.7, is between grid
 * times), so the note is for 2D data only.
 */
function offGridTauNote(c: Config): string | null {
  const fixedGrid = (c.mode === 'cd' || c.mode === 'ct') && c.nSchedule === 'fixed';
  if (!fixedGrid || c.dataset === 'mnist' || !Number.isInteger(c.N) || c.N < 2 || !(c.eps < c.T)) return null;
  const grid = karrasSigmasAscending(c.N, c);
  const tau = c.taus.find((v) => !grid.some((t) => Math.abs(t - v) <= GRID_TOLERANCE * t));
  if (tau === undefined) return null;
  const above = grid.findIndex((t) => t > tau);
  if (above <= 0) return null; // outside [eps, T]: the field's own error says so
  const [lo, hi] = [grid[above - 1], grid[above]];
  const nearest = tau - lo < hi - tau ? lo : hi;
  return `τ = ${tau} lies between the grid times ${short(lo)} and ${short(hi)} (N = ${c.N}): ${METHOD_INFO[c.mode].label} trains f only at grid times, and on 2D data such taus gave ~1.3x the two-step SWD of a grid time (nearest: ${short(nearest)})`;
}
