// One step of the probability-flow ODE dx/dt = (x - D(x, t)) / t (reference sections 1 and 4).
// Per-sample step coefficients (dt / t) are formed in float64 on the host and uploaded as columns, so
// an Euler step is three kernels plus the denoiser and a Heun step eight plus two denoisers.
import * as tf from '@tensorflow/tfjs';
import { perSample } from '../tensorUtil';
import type { Denoiser } from './denoiser';

export type Solver = 'euler' | 'heun';

const ratio = (num: Float64Array, den: Float64Array, scale = 1) => num.map((v, i) => (scale * v) / den[i]);

export function velocity(D: Denoiser, x: tf.Tensor, t: Float64Array): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.sub(x, D.denoise(x, t)), perSample(t.map((v) => 1 / v), x.rank)));
}

/** x + (tTo - tFrom) v(x, tFrom). */
export function eulerStep(D: Denoiser, x: tf.Tensor, tFrom: Float64Array, tTo: Float64Array): tf.Tensor {
  return tf.tidy(() => {
    const dt = tTo.map((v, i) => v - tFrom[i]);
    return tf.add(x, tf.mul(tf.sub(x, D.denoise(x, tFrom)), perSample(ratio(dt, tFrom), x.rank)));
  });
}

/** Heun: Euler predictor x', then x + (tTo - tFrom) (v(x, tFrom) + v(x', tTo)) / 2. */
export function heunStep(D: Denoiser, x: tf.Tensor, tFrom: Float64Array, tTo: Float64Array): tf.Tensor {
  return tf.tidy(() => {
    const r = x.rank;
    const dt = tTo.map((v, i) => v - tFrom[i]);
    const d1 = tf.sub(x, D.denoise(x, tFrom)); // t v(x, tFrom)
    const xPred = tf.add(x, tf.mul(d1, perSample(ratio(dt, tFrom), r)));
    const d2 = tf.sub(xPred, D.denoise(xPred, tTo)); // t' v(x', tTo)
    return tf.add(x, tf.add(tf.mul(d1, perSample(ratio(dt, tFrom, 0.5), r)), tf.mul(d2, perSample(ratio(dt, tTo, 0.5), r))));
  });
}

/** One step of either solver: the denoiser's fused step where it has one (the exact mixture on webgpu). */
export function odeStep(solver: Solver, D: Denoiser, x: tf.Tensor, tFrom: Float64Array, tTo: Float64Array): tf.Tensor {
  const fused = D.fusedStep?.(solver, x, tFrom, tTo);
  if (fused) return fused;
  return solver === 'heun' ? heunStep(D, x, tFrom, tTo) : eulerStep(D, x, tFrom, tTo);
}
