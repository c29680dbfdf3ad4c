import * as tf from '@tensorflow/tfjs';

/**
 * theta^- <- mu theta^- + (1 - mu) theta on whole flat buffers, after the optimiser step (Algorithm 2,
 * last line): three kernels however many parameters the network has.
 */
export function emaUpdate(target: { set(t: tf.Tensor): void; flat: tf.Tensor }, source: tf.Tensor, mu: number): void {
  tf.tidy(() => target.set(mu === 0 ? source : tf.add(tf.mul(target.flat, mu), tf.mul(source, 1 - mu))));
}
