// The consistency function a teacher defines: solve its PF-ODE from (x, t) down to eps. With the exact
// 2D mixture denoiser this is a (nearly) perfect model, a reference to compare a trained model's edits with.
import * as tf from '@tensorflow/tfjs';
import { karrasSigmasAscending } from '../schedule';
import type { Denoiser } from '../teacher/denoiser';
import { odeStep, type Solver } from '../teacher/ode';
import { filled } from '../tensorUtil';
import type { ConsistencyFn } from './consistencyFn';

/** f(x, t) by `steps` solver steps on a Karras grid from t down to eps (f(x, eps) = x exactly). */
export function odeConsistencyFn(
  D: Denoiser, dataShape: readonly number[], range: { eps: number; rho?: number }, steps = 18, solver: Solver = 'heun',
): ConsistencyFn {
  return async (x, t, batch) => {
    if (t <= range.eps) return Float32Array.from(x);
    const grid = karrasSigmasAscending(steps + 1, { eps: range.eps, T: t, rho: range.rho ?? 7 });
    let y = tf.tensor(x, [batch, ...dataShape]);
    for (let i = steps; i > 0; i--) {
      const next = odeStep(solver, D, y, filled(grid[i], batch), filled(grid[i - 1], batch));
      y.dispose();
      y = next;
    }
    try {
      return (await y.data()) as Float32Array;
    } finally {
      y.dispose();
    }
  };
}
