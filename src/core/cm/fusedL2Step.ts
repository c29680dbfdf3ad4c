// Loss and flat gradient of one l2 consistency step for an MLP, without a gradient tape: the target
// network's output f_theta^-(x_hat, t_n) (no gradient), the online forward with what its backward needs,
// the fused l2 head (loss and dLoss/dF), and the hand-written backward (models/fusedMlp.ts).
import * as tf from '@tensorflow/tfjs';
import { cutBlocks, extraColumns, fusedBackward, fusedForward, hostFirstInput, transposeFreeBackward, type FusedMlp, type MlpWeights } from '../models/fusedMlp';
import { consistencyOut, l2Head } from './headKernels';
import type { NetInputs } from './netInputs';

// Reshape is a launch of its own on every backend: only when the shape differs.
const as2d = (t: tf.Tensor, B: number): tf.Tensor2D => (t.rank === 2 ? (t as tf.Tensor2D) : tf.reshape(t, [B, -1]));

/** f = c_skip x + c_out F(...) of the network with these weights, without gradient bookkeeping. */
export function fusedOutput(plan: FusedMlp, weights: MlpWeights, inp: NetInputs): tf.Tensor {
  const B = inp.outValues.length;
  const cols = extraColumns(plan, inp.host!.noise);
  const x0 = inp.host!.xIn
    ? hostFirstInput(inp.host!.xIn, cols.extHost, B, false).x0
    : (tf.concat([as2d(inp.xIn, B), cols.ext], 1) as tf.Tensor2D);
  const { F } = fusedForward(plan, weights, x0, cols);
  return consistencyOut(inp.skipX.rank === 2 ? F : tf.reshape(F, inp.skipX.shape), inp.skipX, inp.out);
}

/**
 * `online` / `target`: flat buffers (target null: the online weights are the target); `inp`: the online
 * network's inputs (made on the host); `targetInp`: the target's; lambda: per-sample loss weights.
 */
export function fusedL2LossAndGrad(
  plan: FusedMlp, online: tf.Tensor1D, target: tf.Tensor1D | null, inp: NetInputs, targetInp: NetInputs, lambda: Float64Array,
): { value: tf.Scalar; grad: tf.Tensor1D } {
  // webgpu's fused path reads operands transposed inside the products: no transposed copies to make.
  const free = transposeFreeBackward();
  const on = cutBlocks(plan, online, !free);
  const fTarget = fusedOutput(plan, target ? cutBlocks(plan, target, false) : on, targetInp);
  const B = lambda.length;
  const d = inp.skipX.size / B;
  const cols = extraColumns(plan, inp.host!.noise);
  const { x0, x0T } = hostFirstInput(inp.host!.xIn!, cols.extHost, B, !free);
  const { F, cache } = fusedForward(plan, on, x0, cols, x0T, true);
  // loss = sum_i lambda_i / (B d) |r_i|^2, dLoss/dF = 2 lambda_i c_out,i r_i / (B d) (as l2Loss.ts).
  const coef = tf.tensor2d(Float32Array.from(lambda, (l) => l / (B * d)), [B, 1]);
  const dCoef = tf.tensor2d(Float32Array.from(lambda, (l, i) => (2 * l * inp.outValues[i]) / (B * d)), [B, 1]);
  const { loss, dF } = l2Head(F, as2d(inp.skipX, B), as2d(inp.out, B), as2d(fTarget, B), coef, dCoef);
  return { value: loss, grad: fusedBackward(plan, dF as tf.Tensor2D, cache!, on) };
}
