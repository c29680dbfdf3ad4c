// The times a discretised consistency loss trains f at: CD, and CT at a fixed N, only ever see the N-point
// Karras grid. A 2D MLP does not fill in between them: after the page's 2,000 CD steps on moons and eight
// Gaussians (N = 18, seeds 1-3, test/bench/gridProbe.ts), |f(x_s, s) - X*(x_s, s -> eps)| at s = 0.5 was
// 1.4-1.8x that at the grid times 0.296 and 0.585 on either side, and two-step samples at off-grid taus scored
// ~1.3x (up to 2x) the SWD of grid taus (test/bench/tauProbe.ts). The digits' U-Net was smooth in t (its best
// tau, 1.7, lies between grid times), so the page marks the grid on 2D data only.
import type { Config } from '../config';
import { karrasSigmasAscending } from '../schedule';

/** Relative distance at which a time counts as a grid time (the paper's tau 0.585 is t = 0.585348). */
export const GRID_TOLERANCE = 0.005;
/** Above this N the grid is too dense to mark (and the views do not add its times to their trajectories). */
export const MAX_MARKED_N = 200;

type GridConfig = Pick<Config, 'mode' | 'nSchedule' | 'N' | 'eps' | 'T' | 'rho' | 'dataset'>;

/** The fixed grid a 2D CD (or fixed-N CT) run trains at, ascending; null where f is trained at other times. */
export function fixedTrainingGrid(c: GridConfig): Float64Array | null {
  const discrete = (c.mode === 'cd' || c.mode === 'ct') && c.nSchedule === 'fixed';
  if (!discrete || c.dataset === 'mnist' || !Number.isInteger(c.N) || c.N < 2 || c.N > MAX_MARKED_N || !(c.eps < c.T)) return null;
  return karrasSigmasAscending(c.N, c);
}

export function isGridTime(grid: Float64Array, t: number): boolean {
  return grid.some((g) => Math.abs(g - t) <= GRID_TOLERANCE * g);
}

/** The grid times on either side of an off-grid t in (eps, T), and the nearer one; null on the grid or outside. */
export function gridNeighbours(grid: Float64Array, t: number): { lo: number; hi: number; nearest: number } | null {
  if (isGridTime(grid, t)) return null;
  const above = grid.findIndex((g) => g > t);
  if (above <= 0) return null;
  const [lo, hi] = [grid[above - 1], grid[above]];
  return { lo, hi, nearest: Math.abs(Math.log(t / lo)) < Math.abs(Math.log(hi / t)) ? lo : hi };
}

/** A time for people: three significant digits. */
export const gridTimeLabel = (v: number) => String(Number(v.toPrecision(3)));
