import * as tf from '@tensorflow/tfjs';

/** theta^- <- mu theta^- + (1 - mu) theta, after the optimiser step (Algorithm 2, last line). */
export function emaUpdate(target: tf.Variable[], source: readonly tf.Tensor[], mu: number): void {
  tf.tidy(() => {
    target.forEach((p, i) => {
      if (mu === 0) p.assign(source[i]);
      else p.assign(tf.add(tf.mul(p, mu), tf.mul(source[i], 1 - mu)));
    });
  });
}
