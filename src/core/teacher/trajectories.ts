// PF-ODE trajectories from any denoiser, as plain arrays for plotting: Heun on a fine Karras grid from
// T down to eps, Euler on the last step (as EDM does into its final time).
import * as tf from '@tensorflow/tfjs';
import { karrasSigmasAscending, type NoiseRange } from '../schedule';
import { filled } from '../tensorUtil';
import type { Denoiser } from './denoiser';
import { odeStep } from './ode';

export interface Trajectories {
  /** Times, descending from T to eps. */
  times: Float64Array;
  /** states[i] is x at times[i], row-major [B, ...dataShape]. */
  states: Float32Array[];
}

/** Integrates from x_T (already scaled by T) along `times`; `onState` may read each new state before it is freed. */
async function integrate(
  D: Denoiser, xT: Float32Array, dataShape: number[], times: Float64Array, onState?: (x: tf.Tensor) => Promise<void>,
): Promise<tf.Tensor> {
  const B = xT.length / dataShape.reduce((a, b) => a * b, 1);
  let x = tf.tensor(xT, [B, ...dataShape]);
  for (let i = 0; i + 1 < times.length; i++) {
    const from = filled(times[i], B);
    const to = filled(times[i + 1], B);
    const last = i + 2 === times.length;
    const next = odeStep(last ? 'euler' : 'heun', D, x, from, to);
    x.dispose();
    x = next;
    if (onState) await onState(x);
  }
  return x;
}

/** Every state along the trajectories, read back (for plotting). */
export async function pfOdeTrajectories(
  D: Denoiser, xT: Float32Array, dataShape: number[], range: NoiseRange, points = 64, alsoAt: ArrayLike<number> = [],
): Promise<Trajectories> {
  const times = withTimes(karrasSigmasAscending(points, range), alsoAt).reverse();
  const states: Float32Array[] = [xT.slice()];
  const end = await integrate(D, xT, dataShape, times, async (x) => {
    states.push((await x.data()) as Float32Array);
  });
  end.dispose();
  return { times, states };
}

/** The ascending grid with extra times in [eps, T] merged in (a state is then kept at each of them too). */
function withTimes(grid: Float64Array, extra: ArrayLike<number>): Float64Array {
  const [eps, T] = [grid[0], grid[grid.length - 1]];
  const all = [...grid, ...Array.from(extra).filter((t) => t >= eps && t <= T)].sort((a, b) => a - b);
  return Float64Array.from(all.filter((t, i) => i === 0 || t > all[i - 1]));
}

/** Only the end points (x at eps): the teacher's ODE samples, without reading back every state. */
export async function pfOdeSamples(D: Denoiser, xT: Float32Array, dataShape: number[], range: NoiseRange, points = 64): Promise<Float32Array> {
  const times = karrasSigmasAscending(points, range).reverse();
  const end = await integrate(D, xT, dataShape, times);
  try {
    return (await end.data()) as Float32Array;
  } finally {
    end.dispose();
  }
}
