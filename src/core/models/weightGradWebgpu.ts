// "MlpWeightGrad" (webgpu only): a layer's weight gradient A^T dz ([K, N]) where A is the layer's input, given
// as is ([B, K]) or as z [B, W] and extra columns [B, E] with A = [act(z), extra] made as the tiles load (the
// activation kernel's formula), so the online forward never stores a layer's output either. 16 x 16 tiles in
// workgroup memory; each output sums over the batch in order, one multiply-add at a time. The first layer's
// gradient can also write the whole flat gradient, copying the other layers' in (one dispatch for both).
import * as tf from '@tensorflow/tfjs';
import type { TensorInfoLike } from './hostKernel';
import { ACT, TILE, tiledProductCode } from './flatMatMulWebgpu';
import { registerWebgpuKernel, type WebgpuProgram } from './webgpuKernel';

export const WEIGHT_GRAD = 'MlpWeightGrad';
const T = TILE;

/** Where the flat-gradient variant writes: its own block at `off`, and the other layers' gradients copied in. */
interface IntoFlat {
  off: number;
  total: number;
  /** Offsets of the other parts (inputs P0, P1, ...) in the flat buffer. */
  offsets: number[];
  /** Element counts of those parts. */
  sizes: number[];
}

/**
 * At most this many other parts are copied in: A, D and the parts are 2 + k storage buffers, plus the output,
 * within WebGPU's default 8 per stage (tfjs asks for no more). Deeper networks keep the separate flatten.
 */
export const MAX_FLAT_PARTS = 5;

function program(K: number, N: number, act?: 'silu' | 'relu', flat?: IntoFlat): WebgpuProgram {
  // A(i, c): row i of the layer's input, column c.
  const load = act
    ? `if (c < uniforms.wa) { a = ${ACT[act]('A[i * uniforms.wa + c]')}; } else { a = X[i * (uniforms.m - uniforms.wa) + c - uniforms.wa]; }`
    : 'a = A[i * uniforms.m + c];';
  const parts = flat ? flat.offsets.map((_, i) => `P${i}`) : [];
  return {
    variableNames: act ? ['A', 'D', 'X'] : ['A', 'D', ...parts],
    outputShape: flat ? [flat.total] : [K, N],
    shaderKey: flat ? `mlpWeightGrad_flat_${flat.off}_${flat.total}_${flat.offsets.join('_')}_${flat.sizes.join('_')}` : `mlpWeightGrad_${act ?? 'none'}`,
    dispatchLayout: { x: [1], y: [0] } as unknown as { x: number[] },
    dispatch: [Math.ceil(N / T), Math.ceil(K / T), 1],
    workgroupSize: [T, T, 1],
    size: false,
    uniforms: 'm : i32, n : i32, b : i32, wa : i32,',
    // tileA[lr][lc] = A^T(row, ka) = A(ka, row): input row i = ka, column c = row.
    getUserCode: () => tiledProductCode(
      'uniforms.b',
      `let i = ka; let c = row; if (i < uniforms.b && c < uniforms.m) { ${load} }`,
      'if (kb < uniforms.b && col < uniforms.n) { b = D[kb * uniforms.n + col]; }',
      `if (row < uniforms.m && col < uniforms.n) { result[${flat ? `${flat.off} + ` : ''}row * uniforms.n + col] = acc; }${flat ? copyParts(flat) : ''}`,
    ),
  };
}

/**
 * After the product: every thread of the grid copies a stride of the flat buffer from the other parts (as
 * FlattenParams does); the product's own block is left to the product, anything else is zero.
 */
function copyParts(f: IntoFlat): string {
  const own = `e >= ${f.off} && e < ${f.off} + uniforms.m * uniforms.n`;
  const branches = f.offsets.map((o, i) => `else if (e >= ${o} && e < ${o + f.sizes[i]}) { result[e] = P${i}[e - ${o}]; }`).join(' ');
  return `
        let threads = i32(numWorkgroups.x * numWorkgroups.y) * ${T * T};
        let tid = i32(workgroupId.y * numWorkgroups.x + workgroupId.x) * ${T * T} + i32(localIndex);
        for (var e = tid; e < ${f.total}; e = e + threads) {
          if (${own}) { } ${branches} else { result[e] = 0.0; }
        }`;
}

let registered = false;
function ensure(): void {
  if (registered) return;
  registered = true;
  registerWebgpuKernel<{ act?: 'silu' | 'relu'; flat?: { off: number; total: number; offsets: number[] } }>({
    name: WEIGHT_GRAD,
    inputs: ['a', 'dz', 'ext', ...Array.from({ length: MAX_FLAT_PARTS }, (_, i) => `p${i}`)],
    run([a, dz, ext, ...ps], { act, flat }, gpu) {
      const [B, Wa] = a!.shape;
      const K = Wa + (act ? ext!.shape[1] : 0);
      const N = dz!.shape[1];
      if (dz!.shape[0] !== B) throw new Error(`MlpWeightGrad: ${B} input rows, ${dz!.shape[0]} gradient rows`);
      const u = [K, N, B, Wa].map((x) => ({ type: 'int32' as const, data: [x] }));
      if (flat) {
        const parts = ps.slice(0, flat.offsets.length) as TensorInfoLike[];
        if (act || parts.length !== flat.offsets.length || parts.some((p) => !p)) throw new Error('MlpWeightGrad into the flat gradient: a plain input and one part per offset');
        const sizes = parts.map((p) => p.shape.reduce((x, y) => x * y, 1));
        return [gpu.run(program(K, N, undefined, { ...flat, sizes }), [a!, dz!, ...parts], u)];
      }
      return [gpu.run(program(K, N, act), (act ? [a, dz, ext] : [a, dz]) as TensorInfoLike[], u)];
    },
  });
}

/** input^T dz for a layer input given as is. webgpu only. */
export function weightGrad(input: tf.Tensor2D, dz: tf.Tensor2D): tf.Tensor2D {
  ensure();
  return tf.engine().runKernel(WEIGHT_GRAD, { a: input, dz }, {}) as tf.Tensor2D;
}

/**
 * The whole flat gradient [total] in one dispatch: input^T dz written at `off`, and the other layers'
 * gradients `parts` (at most MAX_FLAT_PARTS) copied to their `offsets`, so no separate flatten. webgpu only.
 */
export function weightGradIntoFlat(input: tf.Tensor2D, dz: tf.Tensor2D, off: number, parts: tf.Tensor[], offsets: number[], total: number): tf.Tensor1D {
  if (parts.length > MAX_FLAT_PARTS || parts.length !== offsets.length) throw new Error(`weightGradIntoFlat: ${parts.length} parts, ${offsets.length} offsets (at most ${MAX_FLAT_PARTS})`);
  ensure();
  const inputs: tf.NamedTensorMap = { a: input, dz };
  parts.forEach((p, i) => (inputs[`p${i}`] = p));
  return tf.engine().runKernel(WEIGHT_GRAD, inputs, { flat: { off, total, offsets } } as unknown as tf.NamedAttrMap) as tf.Tensor1D;
}

/** [act(z), ext]^T dz, without storing [act(z), ext]. webgpu only. */
export function weightGradOfActivation(z: tf.Tensor2D, ext: tf.Tensor2D, act: 'silu' | 'relu', dz: tf.Tensor2D): tf.Tensor2D {
  ensure();
  return tf.engine().runKernel(WEIGHT_GRAD, { a: z, dz, ext }, { act } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
