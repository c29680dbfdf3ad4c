// Loss and flat gradient of one l2 or pseudo-Huber consistency step for an MLP, without a gradient tape:
// the target network's output f_theta^-(x_hat, t_n) (no gradient), the online forward with what its
// backward needs, the fused head (loss and dLoss/dF), and the hand-written backward (models/fusedMlp.ts).
import * as tf from '@tensorflow/tfjs';
import { cutBlocks, extraColumns, fusedBackward, fusedForward, hostFirstInput, transposeFreeBackward, type FusedMlp, type MlpWeights } from '../models/fusedMlp';
import { l2HeadOfTarget } from './headKernels';
import { huberHeadOfTarget } from './huberHead';
import type { NetInputs } from './netInputs';

// Reshape is a launch of its own on every backend: only when the shape differs.
const as2d = (t: tf.Tensor, B: number): tf.Tensor2D => (t.rank === 2 ? (t as tf.Tensor2D) : tf.reshape(t, [B, -1]));

/** The raw output F(...) [B, d] of the network with these weights, without gradient bookkeeping. */
function rawOutput(plan: FusedMlp, weights: MlpWeights, inp: NetInputs): tf.Tensor2D {
  const B = inp.outValues.length;
  const cols = extraColumns(plan, inp.host!.noise);
  const x0 = inp.host!.xIn
    ? hostFirstInput(inp.host!.xIn, cols.extHost, B, false).x0
    : (tf.concat([as2d(inp.xIn, B), cols.ext], 1) as tf.Tensor2D);
  return fusedForward(plan, weights, x0, cols).F;
}

/**
 * `online` / `target`: flat buffers (target null: the online weights are the target); `inp`: the online
 * network's inputs (made on the host); `targetInp`: the target's; lambda: per-sample loss weights;
 * huberC: null for l2, else the pseudo-Huber distance's c.
 */
export function fusedLossAndGrad(
  plan: FusedMlp, online: tf.Tensor1D, target: tf.Tensor1D | null, inp: NetInputs, targetInp: NetInputs, lambda: Float64Array,
  huberC: number | null = null,
): { value: tf.Scalar; grad: tf.Tensor1D } {
  // webgpu's fused path reads operands transposed inside the products: no transposed copies to make.
  const free = transposeFreeBackward();
  const on = cutBlocks(plan, online, !free);
  const B = lambda.length;
  const tw = target ? cutBlocks(plan, target, false) : on;
  const raw = { F: rawOutput(plan, tw, targetInp), skipX: as2d(targetInp.skipX, B), cOut: as2d(targetInp.out, B) };
  const d = inp.skipX.size / B;
  const cols = extraColumns(plan, inp.host!.noise);
  const { x0, x0T } = hostFirstInput(inp.host!.xIn!, cols.extHost, B, !free);
  const { F, cache } = fusedForward(plan, on, x0, cols, x0T, true);
  const skipX = as2d(inp.skipX, B);
  const cOut = as2d(inp.out, B);
  // The target's f = c_skip x + c_out F is made inside the head (on webgpu in the same dispatches).
  let head: { loss: tf.Scalar; dF: tf.Tensor };
  if (huberC === null) {
    // loss = sum_i lambda_i / (B d) |r_i|^2, dLoss/dF = 2 lambda_i c_out,i r_i / (B d) (as l2Loss.ts).
    const coef = tf.tensor2d(Float32Array.from(lambda, (l) => l / (B * d)), [B, 1]);
    const dCoef = tf.tensor2d(Float32Array.from(lambda, (l, i) => (2 * l * inp.outValues[i]) / (B * d)), [B, 1]);
    head = l2HeadOfTarget(F, skipX, cOut, raw, coef, dCoef);
  } else {
    // The tape path's mean_i lambda_i (q_i - c) (distance.ts: no mean over d): loss = sum_i lambda_i / B
    // (q_i - c), dLoss/dF = lambda_i c_out,i r_i / (B q_i).
    const coef = tf.tensor2d(Float32Array.from(lambda, (l) => l / B), [B, 1]);
    const dCoef = tf.tensor2d(Float32Array.from(lambda, (l, i) => (l * inp.outValues[i]) / B), [B, 1]);
    head = huberHeadOfTarget(F, skipX, cOut, raw, coef, dCoef, huberC);
  }
  const { loss, dF } = head;
  return { value: loss, grad: fusedBackward(plan, dF as tf.Tensor2D, cache!, on) };
}
