import type * as tf from '@tensorflow/tfjs';

/**
 * D(x, t) ~ E[x_0 | x_t]: what a PF-ODE needs (reference section 1). `t` holds one time per sample,
 * in float64; implementations upload what they need. Call inside tf.tidy.
 */
export interface Denoiser {
  denoise(x: tf.Tensor, t: Float64Array): tf.Tensor;
}
