// The 2D MLP (mlp.ts) as one hand-differentiated function of its flat parameter buffer, for training steps:
// no gradient tape, no tape copies, and every layer is one plain matrix product, because each layer's input
// carries its extra columns ([h, time features, 1]) and weight + bias are one contiguous [fanIn + 1, cols]
// block of the flat layout. So the bias gradient comes out of the weight-gradient product, the flat gradient
// is those blocks side by side, and the time features and the first layer's input are made on the host.
// Same function as mlp.ts's forward (tested against autodiff of it); silu and relu only.
import * as tf from '@tensorflow/tfjs';
import { FLATTEN_KERNEL } from './unflattenKernel';
import { fusedBackend, hostBackend } from './hostKernel';
import { activation, activationNeedsSigmoid, ensureMlpKernels, paramBlocks, type Block } from './mlpKernels';
import { ParamLayout } from './flatLayout';
import { mlpMatMul } from './hostMatMul';
import { flatMatMul, flatMatMulOfActivation } from './flatMatMulWebgpu';
import { MAX_FLAT_PARTS, weightGrad, weightGradIntoFlat, weightGradOfActivation } from './weightGradWebgpu';
import type { MlpSpec, NetworkDef } from './types';

export interface FusedMlp {
  spec: MlpSpec;
  layout: ParamLayout;
  /** [W; b] per layer (hidden 0..L-1, then out). */
  blocks: Block[];
  /** The h-rows of every layer after the first, transposed ([cols, width]): dX = dZ W_h^T. */
  transposed: Block[];
  /** Frequencies of the time features (float32 values, as the device table holds them). */
  freqs: Float32Array;
}

export interface FusedMlpHost {
  fused?: { freqs: Float32Array };
}

/** The plan for a network, or null when it is not an MLP this path covers. */
export function fusedMlpPlan(net: NetworkDef & FusedMlpHost, layout: ParamLayout): FusedMlp | null {
  const spec = net.spec;
  if (spec.kind !== 'mlp' || !net.fused || (spec.activation !== 'silu' && spec.activation !== 'relu')) return null;
  if (spec.timeInputs === 2) return null; // host features for one time only
  const L = spec.depth;
  const blocks: Block[] = [];
  const transposed: Block[] = [];
  for (let l = 0; l <= L; l++) {
    const [rows, cols] = layout.shapes[2 * l];
    if (layout.offsets[2 * l + 1] !== layout.offsets[2 * l] + rows * cols) return null; // bias not adjacent
    blocks.push([layout.offsets[2 * l], rows + 1, cols]);
    if (l > 0) transposed.push([layout.offsets[2 * l], spec.width, cols]);
  }
  return { spec, layout, blocks, transposed, freqs: net.fused.freqs };
}

/** [sin(w c), cos(w c)] per sample, rounded step by step as the device ops round (timeFeatures.ts). */
export function hostTimeFeatures(cNoise: Float32Array, freqs: Float32Array): Float32Array {
  const h = freqs.length;
  const F = 2 * h;
  const out = new Float32Array(cNoise.length * F);
  const f = Math.fround;
  const halfPi = f(Math.PI / 2);
  for (let i = 0; i < cNoise.length; i++) {
    for (let j = 0; j < h; j++) {
      const a = f(cNoise[i] * freqs[j]);
      out[i * F + j] = Math.sin(a);
      out[i * F + h + j] = Math.sin(f(a + halfPi));
    }
  }
  return out;
}

/** The columns appended to layer inputs: [time features, 1] ([B, F + 1]) and [1] ([B, 1]). */
export interface ExtraColumns {
  ext: tf.Tensor2D;
  ones: tf.Tensor2D;
  /** `ext`'s values on the host, for building the first layer's input there. */
  extHost: Float32Array;
}

export function extraColumns(plan: FusedMlp, cNoise: Float32Array): ExtraColumns {
  const B = cNoise.length;
  const feats = hostTimeFeatures(cNoise, plan.freqs);
  const F = feats.length / B;
  const ext = new Float32Array(B * (F + 1));
  for (let i = 0; i < B; i++) {
    ext.set(feats.subarray(i * F, (i + 1) * F), i * (F + 1));
    ext[i * (F + 1) + F] = 1;
  }
  return { ext: tf.tensor2d(ext, [B, F + 1]), ones: tf.ones([B, 1]), extHost: ext };
}

/** The first layer's input [c_in x, features, 1] from host values (and its transpose, for training). */
export function hostFirstInput(xIn: Float32Array, ext: Float32Array, B: number, transpose: boolean): { x0: tf.Tensor2D; x0T?: tf.Tensor2D } {
  const d = xIn.length / B;
  const E = ext.length / B;
  const C = d + E;
  const x0 = new Float32Array(B * C);
  for (let i = 0; i < B; i++) {
    x0.set(xIn.subarray(i * d, (i + 1) * d), i * C);
    x0.set(ext.subarray(i * E, (i + 1) * E), i * C + d);
  }
  if (!transpose) return { x0: tf.tensor2d(x0, [B, C]) };
  const t = new Float32Array(B * C);
  for (let i = 0; i < B; i++) for (let j = 0; j < C; j++) t[j * B + i] = x0[i * C + j];
  return { x0: tf.tensor2d(x0, [B, C]), x0T: tf.tensor2d(t, [C, B]) };
}

export interface ForwardCache {
  /** Transposed input of each layer (hidden 0..L-1, out); empty on the transpose-free path. */
  inputsT: tf.Tensor2D[];
  /** act'(z) of each hidden layer; empty on the transpose-free path. */
  derivs: tf.Tensor2D[];
  /**
   * webgpu's path: the first layer's input, each hidden layer's z, and the extra columns; a later layer's
   * input [act(z), extra columns] is never stored, the products make it as they load.
   */
  x0?: tf.Tensor2D;
  zs?: tf.Tensor2D[];
  cols?: { ext: tf.Tensor2D; ones: tf.Tensor2D };
}

/**
 * webgpu's fused path, where every copy or elementwise pass is a dispatch: products read the [W; b] blocks
 * straight out of the flat buffer (flatMatMulWebgpu.ts; transposed in the backward, which applies act'(z) as
 * it stores), make a layer's input [act(z), extra columns] as their tiles load, and so do the weight
 * gradients (weightGradWebgpu.ts): nothing is cut, transposed or activated on its own. The host backends cut
 * blocks and keep transposed copies (XNNPACK has no transposed or offset operands).
 */
export function transposeFreeBackward(): boolean {
  return fusedBackend() && !hostBackend();
}

/** F = the network's raw output [B, d]; for training (x0T given, or train), also what the backward needs. */
export function fusedForward(
  plan: FusedMlp, weights: MlpWeights, x0: tf.Tensor2D, cols: { ext: tf.Tensor2D; ones: tf.Tensor2D }, x0T?: tf.Tensor2D, train = !!x0T,
): { F: tf.Tensor2D; cache?: ForwardCache } {
  const { spec } = plan;
  if (weights.flat) {
    const { F, zs } = flatForward(plan, weights.flat, x0, cols);
    return { F, cache: train ? { inputsT: [], derivs: [], x0, zs, cols } : undefined };
  }
  const cache: ForwardCache = { inputsT: train ? [x0T!] : [], derivs: [] };
  let X = x0;
  for (let l = 0; l < spec.depth; l++) {
    const z = mlpMatMul(X, weights.blocks[l]);
    const s = spec.activation === 'silu' && activationNeedsSigmoid() ? (tf.sigmoid(z) as tf.Tensor2D) : null;
    const next = l < spec.depth - 1 && spec.timeConditioning === 'every-layer' ? cols.ext : cols.ones;
    const a = activation(z, s, next, { act: spec.activation as 'silu' | 'relu', train });
    X = a.y;
    if (train) {
      cache.inputsT.push(a.yT!);
      cache.derivs.push(a.deriv!);
    }
  }
  return { F: mlpMatMul(X, weights.blocks[spec.depth]), cache: train ? cache : undefined };
}

/** The extra columns appended to layer l's input (l >= 1): time features and 1, or 1. */
function extraOf(plan: FusedMlp, l: number, cols: { ext: tf.Tensor2D; ones: tf.Tensor2D }): tf.Tensor2D {
  return l - 1 < plan.spec.depth - 1 && plan.spec.timeConditioning === 'every-layer' ? cols.ext : cols.ones;
}

/** webgpu: each product makes its input [act(z), extra columns] as it loads (one dispatch per layer). */
function flatForward(plan: FusedMlp, flat: tf.Tensor1D, x0: tf.Tensor2D, cols: { ext: tf.Tensor2D; ones: tf.Tensor2D }): { F: tf.Tensor2D; zs: tf.Tensor2D[] } {
  const zs = [flatMatMul(x0, flat, plan.blocks[0], false)];
  for (let l = 1; l <= plan.spec.depth; l++) {
    zs.push(flatMatMulOfActivation(zs[l - 1], extraOf(plan, l, cols), plan.spec.activation as 'silu' | 'relu', flat, plan.blocks[l]));
  }
  return { F: zs.pop()!, zs };
}

/** d loss / d(flat parameters) from d loss / dF (the transpose-free path reads the [W; b] blocks transposed). */
export function fusedBackward(plan: FusedMlp, dF: tf.Tensor2D, cache: ForwardCache, weights: MlpWeights): tf.Tensor1D {
  const tBlocks = weights.tBlocks;
  const L = plan.spec.depth;
  const grads: tf.Tensor2D[] = new Array(L + 1);
  const act = plan.spec.activation as 'silu' | 'relu';
  let dz = dF;
  for (let l = L; l >= 0; l--) {
    if (cache.zs) {
      // The first layer's gradient writes the whole flat gradient (the others copied in) where they fit.
      if (l === 0 && L <= MAX_FLAT_PARTS) {
        return weightGradIntoFlat(cache.x0!, dz, plan.blocks[0][0], grads.slice(1), plan.blocks.slice(1).map((b) => b[0]), plan.layout.total);
      }
      grads[l] = l === 0 ? weightGrad(cache.x0!, dz) : weightGradOfActivation(cache.zs[l - 1], extraOf(plan, l, cache.cols!), act, dz);
      // dz_prev = (dz W_h^T) * act'(z): the product reads the block transposed and applies act' as it stores.
      if (l > 0) dz = flatMatMul(dz, weights.flat!, plan.blocks[l], true, cache.zs[l - 1], act);
    } else {
      grads[l] = mlpMatMul(cache.inputsT[l], dz);
      if (l > 0) dz = tf.mul(mlpMatMul(dz, tBlocks[l - 1]), cache.derivs[l - 1]) as tf.Tensor2D;
    }
  }
  return flattenBlocks(plan, grads);
}

function flattenBlocks(plan: FusedMlp, parts: tf.Tensor2D[]): tf.Tensor1D {
  // cpu/wasm register FlattenParams through flatLayout.ts too; webgpu only through mlpKernels.ts.
  if (fusedBackend()) {
    ensureMlpKernels();
    const inputs: tf.NamedTensorMap = {};
    parts.forEach((p, i) => (inputs[`p${i}`] = p));
    const attrs = { offsets: plan.blocks.map((b) => b[0]), total: plan.layout.total };
    return tf.engine().runKernel(FLATTEN_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor1D;
  }
  return tf.concat(parts.map((p) => tf.reshape(p, [-1]))) as tf.Tensor1D;
}

/** A network's weights for the fused step: cut blocks, or (webgpu) the flat buffer its products read. */
export interface MlpWeights {
  blocks: tf.Tensor2D[];
  tBlocks: tf.Tensor2D[];
  /** Set where products read the blocks out of the flat buffer (flatMatMulWebgpu.ts): nothing is cut. */
  flat?: tf.Tensor1D;
}

/** Cuts the [W; b] blocks (and, for training, the transposed h-rows) from a flat buffer (webgpu: none). */
export function cutBlocks(plan: FusedMlp, flat: tf.Tensor1D, train: boolean): MlpWeights {
  if (transposeFreeBackward()) return { blocks: [], tBlocks: [], flat };
  const all = paramBlocks(flat, plan.blocks, train ? plan.transposed : []);
  return { blocks: all.slice(0, plan.blocks.length), tBlocks: all.slice(plan.blocks.length) };
}
