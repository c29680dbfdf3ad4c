// Algorithm 1: one-step and multistep consistency sampling, from given noise so that a fixed probe batch
// gives frames that change only because the model changed.
import * as tf from '@tensorflow/tfjs';
import type { NetworkDef } from '../models/types';
import { filled } from '../tensorUtil';
import { consistencyFunction, type Scalings } from './consistencyFunction';

export interface SamplingSettings extends Scalings {
  T: number;
  /** Clamp outputs to [-1, 1]: images only, never 2D data (reference section 3). */
  clampToImageRange?: boolean;
}

/** Noise for a multistep run: z_T for the prior, then one z per tau. */
export interface SamplingNoise {
  initial: Float32Array;
  perTau: Float32Array[];
}

/** Iterates of x after each network evaluation: [f(x_T, T), after tau_1, after tau_2, ...]. */
export function multistepSampleTensors(
  net: NetworkDef, params: readonly tf.Tensor[], noise: SamplingNoise, taus: readonly number[], dataShape: number[], s: SamplingSettings,
): tf.Tensor[] {
  const size = dataShape.reduce((a, b) => a * b, 1);
  const B = noise.initial.length / size;
  const shape = [B, ...dataShape];
  const clamp = (x: tf.Tensor) => (s.clampToImageRange ? tf.clipByValue(x, -1, 1) : x);
  const out: tf.Tensor[] = [];
  let x = tf.tidy(() => clamp(consistencyFunction(net, params, tf.mul(tf.tensor(noise.initial, shape), s.T), filled(s.T, B), s)));
  out.push(x);
  taus.forEach((rawTau, i) => {
    const tau = Math.min(s.T, Math.max(s.eps, rawTau));
    const sd = Math.sqrt(Math.max(tau * tau - s.eps * s.eps, 0)); // NaN-free for tau = eps
    x = tf.tidy(() => {
      const xHat = tf.add(x, tf.mul(tf.tensor(noise.perTau[i], shape), sd));
      return clamp(consistencyFunction(net, params, xHat, filled(tau, B), s));
    });
    out.push(x);
  });
  return out;
}

export async function multistepSample(
  net: NetworkDef, params: readonly tf.Tensor[], noise: SamplingNoise, taus: readonly number[], dataShape: number[], s: SamplingSettings,
): Promise<Float32Array[]> {
  const tensors = multistepSampleTensors(net, params, noise, taus, dataShape, s);
  try {
    return await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
  } finally {
    tf.dispose(tensors);
  }
}

/** f(x_t, t) for given points and times: the consistency view along trajectories. */
export async function evaluateConsistencyFunction(
  net: NetworkDef, params: readonly tf.Tensor[], x: Float32Array, t: Float64Array, dataShape: number[], s: Scalings,
): Promise<Float32Array> {
  const y = tf.tidy(() => consistencyFunction(net, params, tf.tensor(x, [t.length, ...dataShape]), t, s));
  try {
    return (await y.data()) as Float32Array;
  } finally {
    y.dispose();
  }
}
