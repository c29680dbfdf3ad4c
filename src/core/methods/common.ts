// Small pieces the method files share: batch shapes, per-sample time inputs, the network call.
import * as tf from '@tensorflow/tfjs';
import { sampleSize } from '../tensorUtil';
import type { MethodContext } from './types';

export function batchShape(ctx: MethodContext, B: number): number[] {
  return [B, ...ctx.dataShape];
}

export function rowsOf(ctx: MethodContext, x: Float32Array): number {
  return x.length / sampleSize(ctx.dataShape);
}

/** The network's time input: [B] for one time, [B, 2] for two (float64 host values, uploaded as float32). */
export function timeInput(first: ArrayLike<number>, second?: ArrayLike<number>): tf.Tensor1D | tf.Tensor2D {
  if (!second) return tf.tensor1d(Float32Array.from(first));
  const B = first.length;
  const v = new Float32Array(2 * B);
  for (let i = 0; i < B; i++) {
    v[2 * i] = first[i];
    v[2 * i + 1] = second[i];
  }
  return tf.tensor2d(v, [B, 2]);
}

/** Mean over rows and coordinates of (a - b)^2. */
export function meanSquaredError(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(a, b));
}

/** x + c_i * y per sample i, on the device (c on the host, float64 -> float32). */
export function addScaled(x: tf.Tensor, c: ArrayLike<number>, y: tf.Tensor): tf.Tensor {
  const shape = [c.length, ...new Array(Math.max(x.rank - 1, 0)).fill(1)];
  return tf.add(x, tf.mul(tf.tensor(Float32Array.from(c), shape), y));
}

/** Per-sample scalars shaped to broadcast against x. */
export function perRow(c: ArrayLike<number>, x: tf.Tensor): tf.Tensor {
  return tf.tensor(Float32Array.from(c), [c.length, ...new Array(Math.max(x.rank - 1, 0)).fill(1)]);
}

/** Logistic function, for logit-normal time draws. */
export const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * A scalar with the value of `shown` and the gradient of `objective`: for an objective whose value is no
 * loss to plot (sCM's adaptive weight makes its objective negative at the optimum, and the loss chart is
 * logarithmic). The gradient is exactly the objective's; `shown` only supplies the number.
 */
export function showAs(objective: tf.Scalar, shown: tf.Scalar): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [, s] = args as [tf.Tensor, tf.Tensor];
    return { value: tf.clone(s), gradFunc: (dy: tf.Tensor) => [dy, tf.zerosLike(s)] };
  });
  return op(objective, shown) as tf.Scalar;
}
