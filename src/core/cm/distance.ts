// Distances d(x, y) between online and target outputs, one value per sample (reference section 6).
// LPIPS plugs in through the same type.
import * as tf from '@tensorflow/tfjs';

export type DistanceFn = (x: tf.Tensor, y: tf.Tensor) => tf.Tensor1D;

function nonBatchAxes(x: tf.Tensor): number[] {
  return Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
}

export const l2Distance: DistanceFn = (x, y) => tf.mean(tf.squaredDifference(x, y), nonBatchAxes(x)) as tf.Tensor1D;

export const l1Distance: DistanceFn = (x, y) => tf.mean(tf.abs(tf.sub(x, y)), nonBatchAxes(x)) as tf.Tensor1D;

/** iCT's default c = 0.00054 sqrt(dim). */
export function defaultHuberC(dim: number): number {
  return 0.00054 * Math.sqrt(dim);
}

// The c of each pseudo-Huber distance made here, so the trainer can run it on the fused MLP step.
const huberCs = new WeakMap<DistanceFn, number>();

/** sqrt(|x - y|^2 + c^2) - c on the whole per-sample vector (iCT). */
export function pseudoHuberDistance(c: number): DistanceFn {
  const d: DistanceFn = (x, y) =>
    tf.tidy(() => tf.sub(tf.sqrt(tf.add(tf.sum(tf.squaredDifference(x, y), nonBatchAxes(x)), c * c)), c) as tf.Tensor1D);
  huberCs.set(d, c);
  return d;
}

/** The c of a distance made by pseudoHuberDistance, or null for any other distance. */
export function pseudoHuberC(d: DistanceFn): number | null {
  return huberCs.get(d) ?? null;
}
