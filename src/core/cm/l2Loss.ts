// The l2 consistency loss mean_i lambda_i mean_j (f_ij - target_ij)^2 with f = c_skip x + c_out F, as one
// custom-gradient op of F: six kernels forward, two backward, one saved tensor (autodiff through the
// scalings, distance and two means took about 35 kernels, most of them tape copies).
import * as tf from '@tensorflow/tfjs';
import type { NetInputs } from './netInputs';

/**
 * Returns F -> loss. Call it OUTSIDE the gradient function: the constants it uploads must outlive the
 * tape's tidy scope, since the gradient reads them.
 */
export function l2LossOfF(inp: NetInputs, outValues: Float64Array, target: tf.Tensor, lambda: Float64Array): (F: tf.Tensor) => tf.Scalar {
  const B = lambda.length;
  const d = target.size / B;
  const shape = [B, ...new Array(target.rank - 1).fill(1)];
  const coef = tf.tensor(Float32Array.from(lambda, (l) => l / (B * d)), shape);
  // d loss / dF = 2 coef c_out r, uploaded as one per-sample column.
  const dCoef = tf.tensor(Float32Array.from(lambda, (l, i) => (2 * l * outValues[i]) / (B * d)), shape);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [f, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const r = tf.sub(tf.add(inp.skipX, tf.mul(inp.out, f)), target);
    save([r]);
    return {
      value: tf.sum(tf.mul(tf.square(r), coef)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(saved[0], tf.mul(dCoef, dy)),
    };
  }) as unknown as (F: tf.Tensor) => tf.Scalar;
  return op;
}
