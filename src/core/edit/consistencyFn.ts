// The consistency function f(x, t) as a plain function of float arrays, so the editing loop does not care
// whether f is a network (on any backend) or a closed form (the exact Gaussian used to test it).
import * as tf from '@tensorflow/tfjs';
import { consistencyFunction, type Scalings } from '../cm/consistencyFunction';
import type { NetworkDef } from '../models/types';
import { filled } from '../tensorUtil';

/** f(x, t) for `batch` samples stacked row-major in x, all at the same time t. */
export type ConsistencyFn = (x: Float32Array, t: number, batch: number) => Promise<Float32Array> | Float32Array;

/** A trained network as a ConsistencyFn; images are clamped to [-1, 1] (reference section 3). */
export function networkConsistencyFn(
  net: NetworkDef, params: readonly tf.Tensor[], dataShape: readonly number[], s: Scalings, clampToImageRange = false,
): ConsistencyFn {
  return async (x, t, batch) => {
    const y = tf.tidy(() => {
      const out = consistencyFunction(net, params, tf.tensor(x, [batch, ...dataShape]), filled(t, batch), s);
      return clampToImageRange ? tf.clipByValue(out, -1, 1) : out;
    });
    try {
      return (await y.data()) as Float32Array; // async read: dataSync is broken on WebGPU (architecture.md 6)
    } finally {
      y.dispose();
    }
  };
}

/**
 * The exact consistency function of independent Gaussian coordinates N(mean_i, std_i^2): the PF-ODE moves
 * x_i - mean_i in proportion to sqrt(std_i^2 + t^2), so f(x, t)_i = mean_i + (x_i - mean_i)
 * sqrt(std_i^2 + eps^2) / sqrt(std_i^2 + t^2). A perfect model for testing the editing algorithms.
 */
export function diagonalGaussianConsistencyFn(mean: ArrayLike<number>, std: ArrayLike<number>, eps: number): ConsistencyFn {
  const d = mean.length;
  if (std.length !== d) throw new RangeError(`mean has ${d} entries, std ${std.length}`);
  return (x, t) => {
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const m = mean[i % d];
      const s2 = std[i % d] ** 2;
      out[i] = m + (x[i] - m) * Math.sqrt((s2 + eps * eps) / (s2 + t * t));
    }
    return out;
  };
}
