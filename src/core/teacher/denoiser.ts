import type * as tf from '@tensorflow/tfjs';
import type { Solver } from './ode';

/**
 * D(x, t) ~ E[x_0 | x_t]: what a PF-ODE needs (reference section 1). `t` holds one time per sample,
 * in float64; implementations upload what they need. Call inside tf.tidy.
 */
export interface Denoiser {
  denoise(x: tf.Tensor, t: Float64Array): tf.Tensor;
  /**
   * Optional: one whole ODE step (ode.ts's odeStep) in a fused kernel where this denoiser and backend have
   * one; null (or absent) where not, and the generic solver runs.
   */
  fusedStep?(solver: Solver, x: tf.Tensor, tFrom: Float64Array, tTo: Float64Array): tf.Tensor | null;
}
