// LPIPS as the training metric d(x, y) of a run: built from the run's settings (backbone, resolution),
// plus a one-off cost probe so the page can show what a step of LPIPS costs next to l2.

import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config';
import type { DistanceFn } from '../cm/distance';
import { createLpips, type Lpips, type LpipsWeights } from './metric';
import { NET_SPECS } from './nets';

/** The run's LPIPS resolution in pixels (the schema stores it as a string enum). */
export function lpipsResolutionOf(c: Pick<Config, 'lpipsResolution'>): number {
  return Number(c.lpipsResolution);
}

/** Why these weights cannot serve this run's LPIPS settings, or null. */
export function lpipsConfigProblem(weights: Pick<LpipsWeights, 'net'>, c: Pick<Config, 'lpipsNet' | 'lpipsResolution'>): string | null {
  if (weights.net !== c.lpipsNet) return `the loaded weights are for ${weights.net}, the run asks for ${c.lpipsNet}`;
  const size = lpipsResolutionOf(c);
  const min = NET_SPECS[c.lpipsNet].minSize;
  if (size < min) return `${c.lpipsNet} LPIPS needs a resolution of at least ${min} px (choose a larger LPIPS resolution)`;
  return null;
}

/** An Lpips instance for the run's backbone and resolution (throws with the reason when they do not fit). */
export function createLpipsForConfig(weights: LpipsWeights, c: Pick<Config, 'lpipsNet' | 'lpipsResolution'>): Lpips {
  const problem = lpipsConfigProblem(weights, c);
  if (problem) throw new Error(problem);
  return createLpips(weights, { resolution: lpipsResolutionOf(c) });
}

/** The metric as the trainer uses it: NHWC batches in [-1, 1], one value per sample. */
export function lpipsDistanceFn(lpips: Lpips): DistanceFn {
  return (x, y) => lpips.distance(x as tf.Tensor4D, y as tf.Tensor4D);
}

/**
 * Milliseconds for one evaluation of d(x, y) and its gradient in x on a random batch (after one untimed
 * call that compiles kernels). A coarse, single measurement: for display, never for tests.
 */
export async function measureDistanceCost(distance: DistanceFn, shape: number[], seed = 7): Promise<number> {
  const x = tf.randomUniform(shape, -1, 1, 'float32', seed);
  const y = tf.randomUniform(shape, -1, 1, 'float32', seed + 1);
  const gradient = tf.grad((a: tf.Tensor) => tf.mean(distance(a, y)));
  try {
    const warm = gradient(x);
    await warm.data();
    warm.dispose();
    const t0 = performance.now();
    const g = gradient(x);
    await g.data(); // the only reliable way to wait for GPU work (dataSync is broken on WebGPU)
    const ms = performance.now() - t0;
    g.dispose();
    return ms;
  } finally {
    x.dispose();
    y.dispose();
  }
}
