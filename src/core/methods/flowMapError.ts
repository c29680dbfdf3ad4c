// Flow-map error (few-step-methods.md section 8): on fixed points x_i = x_0,i + sigma n_i, the RMS distance
// between a method's map X_theta(x, sigma -> sigma') and the exact ODE map of the 2D mixture, over
// sigma_data: FME = sqrt(mean_i,coords |X_theta - X*|^2) / sigma_d. Grid: sigma in {T, 10, 2, 0.5} to the
// data end (0.002), and to sigma/4 for methods with maps between any two times.
import * as tf from '@tensorflow/tfjs';
import type { Mixture } from '../data/mixture';
import type { DataSource } from '../data/source';
import { Rng } from '../rng';
import { exactFlowMapBatch } from './exactFlowMap';
import { flowMapEdm } from './flowMap';
import type { FlowMapMethod, MethodContext } from './types';

export const FME_DATA_END = 0.002;
export const FME_STARTS = [80, 10, 2, 0.5];

export interface FlowMapCell {
  sigmaFrom: number;
  sigmaTo: number;
  error: number;
}

export interface FlowMapErrorReport {
  /** The one-step map from the largest sigma (T) to the data end. */
  oneStep: number;
  /** Mean over every cell the method has. */
  mean: number;
  cells: FlowMapCell[];
}

interface ProbeCell {
  sigmaFrom: number;
  sigmaTo: number;
  x: Float32Array;
  exact: Float32Array;
}

/**
 * The fixed points and their exact images, for one mixture and seed. One exact trajectory per point, from
 * the largest sigma down to the data end, serves every cell: its state at sigma is distributed as data plus
 * sigma-noise (the PF-ODE keeps the marginals), so the state at each start is that cell's point and the
 * states further down are its exact images. That is about a third of the integration of one trajectory
 * per cell, paid once per run at the first 2D evaluation.
 */
export class FlowMapProbe {
  private readonly cells: ProbeCell[] = [];

  // 64 points and 12 RK4 steps per unit of ln sigma (12 steps agree with 400 to about 1e-6 on moons).
  constructor(readonly mixture: Mixture, data: DataSource, seed: number, T: number, readonly count = 64, readonly stepsPerUnit = 12) {
    const rng = new Rng(seed, 'flow-map-error');
    const starts = [...new Set([Math.min(FME_STARTS[0], T), ...FME_STARTS.slice(1).filter((s) => s < T)])];
    const stops = [...new Set([...starts, ...starts.map((s) => s / 4), FME_DATA_END])].sort((a, b) => b - a);
    const x0 = data.sample(count, rng);
    const n = rng.normals(x0.length);
    const states = new Map<number, Float32Array>();
    let y = Float32Array.from(x0, (v, i) => v + stops[0] * n[i]);
    states.set(stops[0], y);
    for (let k = 1; k < stops.length; k++) {
      y = Float32Array.from(exactFlowMapBatch(mixture, y, stops[k - 1], stops[k], stepsPerUnit));
      states.set(stops[k], y);
    }
    for (const sigma of starts) {
      const x = states.get(sigma)!;
      this.cells.push({ sigmaFrom: sigma, sigmaTo: FME_DATA_END, x, exact: states.get(FME_DATA_END)! });
      this.cells.push({ sigmaFrom: sigma, sigmaTo: sigma / 4, x, exact: states.get(sigma / 4)! });
    }
  }

  /** The cells a method has: every start to the data end, and to sigma/4 where it maps between any times. */
  cellsFor(method: FlowMapMethod): ProbeCell[] {
    return this.cells.filter((c) => c.sigmaTo === FME_DATA_END || method.jumps === 'any');
  }
}

export async function flowMapError(
  method: FlowMapMethod, ctx: MethodContext, params: readonly tf.Tensor[], probe: FlowMapProbe,
): Promise<FlowMapErrorReport> {
  const cells: FlowMapCell[] = [];
  const d = probe.mixture.dim;
  for (const cell of probe.cellsFor(method)) {
    const exact = cell.exact;
    const B = cell.x.length / d;
    const y = tf.tidy(() => flowMapEdm(method, ctx, params, tf.tensor2d(cell.x, [B, d]),
      new Float64Array(B).fill(cell.sigmaFrom), new Float64Array(B).fill(cell.sigmaTo)));
    const got = (await y.data()) as Float32Array;
    y.dispose();
    let sq = 0;
    for (let i = 0; i < got.length; i++) sq += (got[i] - exact[i]) ** 2;
    cells.push({ sigmaFrom: cell.sigmaFrom, sigmaTo: cell.sigmaTo, error: Math.sqrt(sq / got.length) / ctx.config.sigmaData });
  }
  const first = cells.find((c) => c.sigmaTo === FME_DATA_END)!;
  return { oneStep: first.error, mean: cells.reduce((a, c) => a + c.error, 0) / cells.length, cells };
}
