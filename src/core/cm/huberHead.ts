// The pseudo-Huber twin of the l2 head (headKernels.ts) for the fused MLP step: with r_i = f_i - target_i
// the residual vector of sample i and q_i = sqrt(|r_i|^2 + c^2), loss = sum_i coef_i (q_i - c) and
// dLoss/dF_ij = r_ij dCoef_i / q_i. One host kernel on cpu/wasm (two passes per sample: |r_i|^2, then dF),
// WGSL on webgpu (huberHeadWebgpu.ts), plain ops elsewhere. Inputs are [B, d]; coef and dCoef [B, 1].
import * as tf from '@tensorflow/tfjs';
import { fusedBackend, registerHostKernel, runHostKernel } from '../models/hostKernel';
import { consistencyOut, type RawTarget } from './headKernels';
import { registerHuberHeadWebgpu } from './huberHeadWebgpu';

const HUBER = 'ConsistencyHuberHead';
const HUBER_TARGET = 'ConsistencyHuberHeadOfTarget';

export interface HuberAttrs {
  c: number;
}

function registerOnce(): void {
  registerHostKernel<HuberAttrs>({
    name: HUBER,
    inputs: ['F', 'skipX', 'cOut', 'target', 'coef', 'dCoef'],
    outputShapes: ([F]) => [[], F!],
    run([F, skipX, cOut, target, coef, dCoef], [loss, dF], { c }) {
      const B = cOut!.length;
      const d = F!.length / B;
      const f = Math.fround;
      // As the plain ops see them: c and c * c uploaded as float32 scalars.
      const [c32, c2] = [f(c), f(c * c)];
      let sum = 0;
      for (let i = 0; i < B; i++) {
        let s = 0;
        // First pass: the residuals (kept in dF) and their squared norm.
        for (let j = i * d; j < (i + 1) * d; j++) {
          const r = f(f(skipX![j] + f(cOut![i] * F![j])) - target![j]);
          dF[j] = r;
          s = f(s + f(r * r));
        }
        const q = f(Math.sqrt(f(s + c2)));
        sum += f(f(q - c32) * coef![i]);
        const g = f(dCoef![i] / q);
        for (let j = i * d; j < (i + 1) * d; j++) dF[j] = f(dF[j] * g);
      }
      loss[0] = sum;
    },
  });
}

let registered = false;
function ensure(): void {
  if (!registered) {
    registerOnce();
    registerHuberHeadWebgpu(HUBER, HUBER_TARGET);
  }
  registered = true;
}

/** The pseudo-Huber loss (scalar) and dLoss/dF for per-sample coefficients coef and dCoef. */
export function huberHead(F: tf.Tensor, skipX: tf.Tensor, cOut: tf.Tensor, target: tf.Tensor, coef: tf.Tensor, dCoef: tf.Tensor, c: number): { loss: tf.Scalar; dF: tf.Tensor } {
  if (!fusedBackend()) return huberHeadByOps(F, skipX, cOut, target, coef, dCoef, c);
  ensure();
  const [loss, dF] = runHostKernel(HUBER, { F, skipX, cOut, target, coef, dCoef }, { c });
  return { loss: loss as tf.Scalar, dF };
}

export function huberHeadByOps(F: tf.Tensor, skipX: tf.Tensor, cOut: tf.Tensor, target: tf.Tensor, coef: tf.Tensor, dCoef: tf.Tensor, c: number): { loss: tf.Scalar; dF: tf.Tensor } {
  return tf.tidy(() => {
    const r = tf.sub(tf.add(skipX, tf.mul(cOut, F)), target);
    const q = tf.sqrt(tf.add(tf.sum(tf.square(r), 1, true), c * c));
    return { loss: tf.sum(tf.mul(tf.sub(q, c), coef)), dF: tf.mul(r, tf.div(dCoef, q)) };
  });
}

/** huberHead against the target's f made from its raw output: on webgpu inside the head's two dispatches. */
export function huberHeadOfTarget(F: tf.Tensor, skipX: tf.Tensor, cOut: tf.Tensor, t: RawTarget, coef: tf.Tensor, dCoef: tf.Tensor, c: number): { loss: tf.Scalar; dF: tf.Tensor } {
  if (!(fusedBackend() && tf.getBackend() === 'webgpu')) return huberHead(F, skipX, cOut, consistencyOut(t.F, t.skipX, t.cOut), coef, dCoef, c);
  ensure();
  const [loss, dF] = runHostKernel(HUBER_TARGET, { F, skipX, cOut, tF: t.F, tSkipX: t.skipX, tCOut: t.cOut, coef, dCoef }, { c });
  return { loss: loss as tf.Scalar, dF };
}
