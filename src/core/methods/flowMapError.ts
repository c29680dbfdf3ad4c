// Flow-map error (few-step-methods.md section 8): on fixed points x_i = x_0,i + sigma n_i, the RMS distance
// between a method's map X_theta(x, sigma -> sigma') and the exact ODE map of the 2D mixture, over
// sigma_data: FME = sqrt(mean_i,coords |X_theta - X*|^2) / sigma_d. Grid: sigma in {T, 10, 2, 0.5} to the
// data end (0.002), and to sigma/4 for methods with maps between any two times. The same evaluation also
// fills the page's flow-map view: every map between the levels of VIEW_LEVELS the method has.
import * as tf from '@tensorflow/tfjs';
import type { Mixture } from '../data/mixture';
import type { DataSource } from '../data/source';
import { Rng } from '../rng';
import { exactFlowMapBatch } from './exactFlowMap';
import { flowMapEdm } from './flowMap';
import type { FlowMapMethod, MethodContext } from './types';

export const FME_DATA_END = 0.002;
export const FME_STARTS = [80, 10, 2, 0.5];
/** Start levels of the view's matrix (the first one is capped at T); its columns add the data end. */
export const VIEW_LEVELS = [80, 10, 2, 0.5, 0.1];

export interface FlowMapCell {
  sigmaFrom: number;
  sigmaTo: number;
  error: number;
}

/** What the flow-map view draws: plain arrays, ready to post from the worker. */
export interface FlowMapView {
  jumps: 'data-end' | 'any';
  /** Noise levels, descending; the last one is the data end. */
  sigmas: number[];
  /** Probe points (rows of `exact[i]`). */
  count: number;
  /** exact[i]: the probe points at sigmas[i] (normalised units, row-major [count, 2]); one exact ODE
   * trajectory per point, so exact[j] = X*(exact[i], sigmas[i] -> sigmas[j]). */
  exact: Float32Array[];
  /** Every map from sigmas[from] to sigmas[to] (to > from) that the method has: its images of exact[from]. */
  cells: { from: number; to: number; error: number; learned: Float32Array }[];
}

export interface FlowMapErrorReport {
  /** The one-step map from the largest sigma (T) to the data end. */
  oneStep: number;
  /** Mean over every cell the method has. */
  mean: number;
  cells: FlowMapCell[];
  view: FlowMapView;
}

interface Pair {
  sigmaFrom: number;
  sigmaTo: number;
}

const unique = (xs: number[]) => [...new Set(xs)].sort((a, b) => b - a);

/**
 * The fixed points and their exact images, for one mixture and seed. One exact trajectory per point, from
 * the largest sigma down to the data end, serves every cell: its state at sigma is distributed as data plus
 * sigma-noise (the PF-ODE keeps the marginals), so the state at each start is that cell's point and the
 * states further down are its exact images. That is about a third of the integration of one trajectory
 * per cell, paid once per run at the first 2D evaluation.
 */
export class FlowMapProbe {
  /** The grid behind the reported numbers (FME_STARTS). */
  private readonly starts: number[];
  /** The view's ladder, descending, ending at the data end. */
  readonly levels: number[];
  private readonly states = new Map<number, Float32Array>();

  // 64 points and 12 RK4 steps per unit of ln sigma (12 steps agree with 400 to about 1e-6 on moons).
  constructor(readonly mixture: Mixture, data: DataSource, seed: number, T: number, readonly count = 64, readonly stepsPerUnit = 12) {
    const rng = new Rng(seed, 'flow-map-error');
    const capped = (list: number[]) => unique([Math.min(list[0], T), ...list.slice(1).filter((s) => s < T)]);
    this.starts = capped(FME_STARTS);
    this.levels = [...capped(VIEW_LEVELS), FME_DATA_END];
    const stops = unique([...this.starts, ...this.starts.map((s) => s / 4), ...this.levels]);
    const x0 = data.sample(count, rng);
    const n = rng.normals(x0.length);
    let y = Float32Array.from(x0, (v, i) => v + stops[0] * n[i]);
    this.states.set(stops[0], y);
    for (let k = 1; k < stops.length; k++) {
      y = Float32Array.from(exactFlowMapBatch(mixture, y, stops[k - 1], stops[k], stepsPerUnit));
      this.states.set(stops[k], y);
    }
  }

  /** The probe points at a stop sigma. */
  at(sigma: number): Float32Array {
    const s = this.states.get(sigma);
    if (!s) throw new Error(`flow-map probe: no state at sigma = ${sigma}`);
    return s;
  }

  /** The reported cells a method has: every start to the data end, and to sigma/4 where it maps between any times. */
  cellsFor(method: FlowMapMethod): Pair[] {
    return this.starts.flatMap((s) => [{ sigmaFrom: s, sigmaTo: FME_DATA_END }, ...(method.jumps === 'any' ? [{ sigmaFrom: s, sigmaTo: s / 4 }] : [])]);
  }

  /** The view's cells, as ladder indices: from every level to every lower one ('any'), or to the data end only. */
  viewCellsFor(method: FlowMapMethod): { from: number; to: number }[] {
    const last = this.levels.length - 1;
    const out: { from: number; to: number }[] = [];
    for (let i = 0; i < last; i++) {
      for (let j = i + 1; j <= last; j++) if (method.jumps === 'any' || j === last) out.push({ from: i, to: j });
    }
    return out;
  }
}

/** RMS over rows and coordinates, over sigma_data. */
function rmsError(got: ArrayLike<number>, exact: ArrayLike<number>, sigmaData: number): number {
  let sq = 0;
  for (let i = 0; i < got.length; i++) sq += (got[i] - exact[i]) ** 2;
  return Math.sqrt(sq / got.length) / sigmaData;
}

/**
 * The reported grid and the view's cells in one batched jump (every cell's points stacked, per-row sigma
 * and sigma'), read back once.
 */
export async function flowMapError(
  method: FlowMapMethod, ctx: MethodContext, params: readonly tf.Tensor[], probe: FlowMapProbe,
): Promise<FlowMapErrorReport> {
  const d = probe.mixture.dim;
  const B = probe.count;
  const L = probe.levels;
  const viewCells = probe.viewCellsFor(method);
  const pairs = new Map<string, Pair>();
  const key = (p: Pair) => `${p.sigmaFrom}>${p.sigmaTo}`;
  for (const p of [...probe.cellsFor(method), ...viewCells.map((c) => ({ sigmaFrom: L[c.from], sigmaTo: L[c.to] }))]) pairs.set(key(p), p);
  const list = [...pairs.values()];
  const x = new Float32Array(list.length * B * d);
  const from = new Float64Array(list.length * B);
  const to = new Float64Array(list.length * B);
  list.forEach((p, k) => {
    x.set(probe.at(p.sigmaFrom), k * B * d);
    from.fill(p.sigmaFrom, k * B, (k + 1) * B);
    to.fill(p.sigmaTo, k * B, (k + 1) * B);
  });
  const y = tf.tidy(() => flowMapEdm(method, ctx, params, tf.tensor2d(x, [list.length * B, d]), from, to));
  const all = (await y.data()) as Float32Array;
  y.dispose();
  const learned = new Map<string, Float32Array>();
  list.forEach((p, k) => learned.set(key(p), all.slice(k * B * d, (k + 1) * B * d)));
  const sd = ctx.config.sigmaData;
  const errorOf = (p: Pair) => rmsError(learned.get(key(p))!, probe.at(p.sigmaTo), sd);
  const cells: FlowMapCell[] = probe.cellsFor(method).map((p) => ({ ...p, error: errorOf(p) }));
  const view: FlowMapView = {
    jumps: method.jumps, sigmas: [...L], count: B, exact: L.map((s) => probe.at(s).slice()),
    cells: viewCells.map((c) => {
      const p = { sigmaFrom: L[c.from], sigmaTo: L[c.to] };
      return { ...c, error: errorOf(p), learned: learned.get(key(p))! };
    }),
  };
  const first = cells.find((c) => c.sigmaTo === FME_DATA_END)!;
  return { oneStep: first.error, mean: cells.reduce((a, c) => a + c.error, 0) / cells.length, cells, view };
}
