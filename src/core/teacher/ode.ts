// One step of the probability-flow ODE dx/dt = (x - D(x, t)) / t (reference sections 1 and 4).
import * as tf from '@tensorflow/tfjs';
import { perSample } from '../tensorUtil';
import type { Denoiser } from './denoiser';

export type Solver = 'euler' | 'heun';

export function velocity(D: Denoiser, x: tf.Tensor, t: Float64Array): tf.Tensor {
  return tf.tidy(() => tf.div(tf.sub(x, D.denoise(x, t)), perSample(t, x.rank)));
}

/** x + (tTo - tFrom) v(x, tFrom). */
export function eulerStep(D: Denoiser, x: tf.Tensor, tFrom: Float64Array, tTo: Float64Array): tf.Tensor {
  return tf.tidy(() => {
    const dt = perSample(tTo.map((v, i) => v - tFrom[i]), x.rank);
    return tf.add(x, tf.mul(dt, velocity(D, x, tFrom)));
  });
}

/** Heun: Euler predictor x', then x + (tTo - tFrom) (v(x, tFrom) + v(x', tTo)) / 2. */
export function heunStep(D: Denoiser, x: tf.Tensor, tFrom: Float64Array, tTo: Float64Array): tf.Tensor {
  return tf.tidy(() => {
    const dt = perSample(tTo.map((v, i) => v - tFrom[i]), x.rank);
    const v1 = velocity(D, x, tFrom);
    const xPred = tf.add(x, tf.mul(dt, v1));
    const v2 = velocity(D, xPred, tTo);
    return tf.add(x, tf.mul(dt, tf.mul(tf.add(v1, v2), 0.5)));
  });
}

export function odeStep(solver: Solver, D: Denoiser, x: tf.Tensor, tFrom: Float64Array, tTo: Float64Array): tf.Tensor {
  return solver === 'heun' ? heunStep(D, x, tFrom, tTo) : eulerStep(D, x, tFrom, tTo);
}
