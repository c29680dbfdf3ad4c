// The consistency function's output f = c_skip x + c_out F, and the l2 loss with its gradient with respect
// to F, each as one fused kernel on cpu/wasm (webgpu: headKernelsWebgpu.ts; two and five launches as plain ops, which GPU backends run).
import * as tf from '@tensorflow/tfjs';
import { fusedBackend, registerHostKernel, runHostKernel } from '../models/hostKernel';
import { registerHeadWebgpu } from './headKernelsWebgpu';

const OUT = 'ConsistencyOut';
const L2 = 'ConsistencyL2Head';
const L2_TARGET = 'ConsistencyL2HeadOfTarget';

function registerOnce(): void {
  // f = skipX + cOut_i F, per sample i (cOut has one value per sample).
  registerHostKernel<object>({
    name: OUT,
    inputs: ['F', 'skipX', 'cOut'],
    outputShapes: ([F]) => [F!],
    run([F, skipX, cOut], [f]) {
      const B = cOut!.length;
      const d = F!.length / B;
      const r = Math.fround;
      for (let i = 0; i < B; i++) for (let j = i * d; j < (i + 1) * d; j++) f[j] = r(skipX![j] + r(cOut![i] * F![j]));
    },
  });
  // r = skipX + cOut F - target; loss = sum_i coef_i sum_j r_ij^2; dF = dCoef_i r_ij.
  registerHostKernel<object>({
    name: L2,
    inputs: ['F', 'skipX', 'cOut', 'target', 'coef', 'dCoef'],
    outputShapes: ([F]) => [[], F!],
    run([F, skipX, cOut, target, coef, dCoef], [loss, dF]) {
      const B = cOut!.length;
      const d = F!.length / B;
      const f = Math.fround;
      let sum = 0;
      for (let i = 0; i < B; i++) {
        for (let j = i * d; j < (i + 1) * d; j++) {
          const r = f(f(skipX![j] + f(cOut![i] * F![j])) - target![j]);
          sum += f(f(r * r) * coef![i]);
          dF[j] = f(r * dCoef![i]);
        }
      }
      loss[0] = sum;
    },
  });
}

let registered = false;
function ensure(): void {
  if (!registered) {
    registerOnce();
    registerHeadWebgpu(OUT, L2, L2_TARGET);
  }
  registered = true;
}

/** f = skipX + cOut F; cOut is [B, 1, ...] (one value per sample). */
export function consistencyOut(F: tf.Tensor, skipX: tf.Tensor, cOut: tf.Tensor): tf.Tensor {
  if (!fusedBackend()) return consistencyOutByOps(F, skipX, cOut);
  ensure();
  return runHostKernel(OUT, { F, skipX, cOut }, {})[0];
}

export function consistencyOutByOps(F: tf.Tensor, skipX: tf.Tensor, cOut: tf.Tensor): tf.Tensor {
  return tf.add(skipX, tf.mul(cOut, F));
}

/** The loss (scalar) and d loss / dF for per-sample coefficients coef and dCoef (both [B, 1, ...]). */
export function l2Head(F: tf.Tensor, skipX: tf.Tensor, cOut: tf.Tensor, target: tf.Tensor, coef: tf.Tensor, dCoef: tf.Tensor): { loss: tf.Scalar; dF: tf.Tensor } {
  if (!fusedBackend()) return l2HeadByOps(F, skipX, cOut, target, coef, dCoef);
  ensure();
  const [loss, dF] = runHostKernel(L2, { F, skipX, cOut, target, coef, dCoef }, {});
  return { loss: loss as tf.Scalar, dF };
}

export function l2HeadByOps(F: tf.Tensor, skipX: tf.Tensor, cOut: tf.Tensor, target: tf.Tensor, coef: tf.Tensor, dCoef: tf.Tensor): { loss: tf.Scalar; dF: tf.Tensor } {
  return tf.tidy(() => {
    const r = tf.sub(tf.add(skipX, tf.mul(cOut, F)), target);
    return { loss: tf.sum(tf.mul(tf.square(r), coef)), dF: tf.mul(r, dCoef) };
  });
}

/** The target network's raw output and its c_skip x and c_out (per sample), from which f = skipX + cOut F. */
export interface RawTarget {
  F: tf.Tensor;
  skipX: tf.Tensor;
  cOut: tf.Tensor;
}

/** l2Head against the target's f made from its raw output: on webgpu inside the head's two dispatches. */
export function l2HeadOfTarget(F: tf.Tensor, skipX: tf.Tensor, cOut: tf.Tensor, t: RawTarget, coef: tf.Tensor, dCoef: tf.Tensor): { loss: tf.Scalar; dF: tf.Tensor } {
  if (!(fusedBackend() && tf.getBackend() === 'webgpu')) return l2Head(F, skipX, cOut, consistencyOut(t.F, t.skipX, t.cOut), coef, dCoef);
  ensure();
  const [loss, dF] = runHostKernel(L2_TARGET, { F, skipX, cOut, tF: t.F, tSkipX: t.skipX, tCOut: t.cOut, coef, dCoef }, {});
  return { loss: loss as tf.Scalar, dF };
}
