// "MlpFlatMatMul" (webgpu only): out = A B where B is a [W; b] block read straight out of the flat parameter
// buffer, as is or transposed, so the MLP step cuts no parameter blocks (each cut was a dispatch). A 16 x 16
// tiled product in workgroup memory; each output sums its k terms in order, one multiply-add at a time.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfoLike } from './hostKernel';
import { registerWebgpuKernel, type WebgpuProgram } from './webgpuKernel';
import type { Block } from './mlpKernels';

export const FLAT_MATMUL = 'MlpFlatMatMul';
/** Tile edge of the tiled products (workgroup T x T). */
export const TILE = 16;
const T = TILE;

interface Attrs {
  /** The block [offset, rows, cols] in the flat buffer. */
  block: Block;
  /** false: B = block ([rows, cols]); true: B = block^T ([cols, rows]). */
  transposeB: boolean;
  /**
   * With input z [M, n]: only B's first n columns, each output multiplied by act'(z) (the backward
   * through a hidden layer: dz_prev = (dz W_h^T) * act'(z), as the activation kernels compute act').
   */
  deriv?: 'silu' | 'relu';
  /**
   * With inputs a = z [M, W] and ext [M, E]: A = [act(z), ext], made as the tiles load (the activation
   * kernel's formula), so a forward that needs no gradient never stores a layer's output.
   */
  actA?: 'silu' | 'relu';
}

const DERIV: Record<'silu' | 'relu', string> = {
  silu: 'let s = 1.0 / (1.0 + exp(-1.0 * v)); let hh = v * s; let d = s + hh * (1.0 - s);',
  relu: 'let d = select(select(0.0, 1.0, v > 0.0), v, v != v);',
};

export const ACT: Record<'silu' | 'relu', (v: string) => string> = {
  silu: (v) => `${v} * (1.0 / (1.0 + exp(-1.0 * ${v})))`,
  relu: (v) => `max(${v}, 0.0)`,
};

/**
 * The shader of a product tiled in T x T workgroup memory: acc = sum_k A(row, k) B(k, col), k in order, one
 * multiply-add at a time. `loadA` sets `a` = A(row, ka) and `loadB` sets `b` = B(kb, col) (each with its own
 * bounds check); `store` writes `acc`. Shared by MlpFlatMatMul and MlpWeightGrad.
 */
export function tiledProductCode(kLen: string, loadA: string, loadB: string, store: string): string {
  return `
      var<workgroup> tileA : array<array<f32, ${T}>, ${T}>;
      var<workgroup> tileB : array<array<f32, ${T}>, ${T}>;
      fn main() {
        let row = i32(globalId.y);
        let col = i32(globalId.x);
        let lr = i32(localId.y);
        let lc = i32(localId.x);
        var acc = 0.0;
        let tiles = (${kLen} + ${T - 1}) / ${T};
        for (var t = 0; t < tiles; t = t + 1) {
          let ka = t * ${T} + lc;
          var a = 0.0;
          ${loadA}
          tileA[lr][lc] = a;
          let kb = t * ${T} + lr;
          var b = 0.0;
          ${loadB}
          tileB[lr][lc] = b;
          workgroupBarrier();
          let kmax = min(${T}, ${kLen} - t * ${T});
          for (var k = 0; k < kmax; k = k + 1) { acc = acc + tileA[lr][k] * tileB[k][lc]; }
          workgroupBarrier();
        }
        ${store}
      }`;
}

function program(M: number, N: number, deriv?: 'silu' | 'relu', actA?: 'silu' | 'relu'): WebgpuProgram {
  const store = deriv
    ? `let v = Z[row * uniforms.n + col]; ${DERIV[deriv]} result[row * uniforms.n + col] = acc * d;`
    : 'result[row * uniforms.n + col] = acc;';
  // A(row, ka): a plain operand, or [act(z), ext] (z has uniforms.wa columns, ext the rest).
  const loadA = actA
    ? `if (ka < uniforms.wa) { a = ${ACT[actA]('A[row * uniforms.wa + ka]')}; } else { a = X[row * (uniforms.k - uniforms.wa) + ka - uniforms.wa]; }`
    : 'a = A[row * uniforms.k + ka];';
  return {
    variableNames: deriv ? ['A', 'W', 'Z'] : actA ? ['A', 'W', 'X'] : ['A', 'W'],
    outputShape: [M, N],
    shaderKey: `mlpFlatMatMul_${deriv ?? 'none'}_${actA ?? 'none'}`,
    dispatchLayout: { x: [1], y: [0] } as unknown as { x: number[] },
    dispatch: [Math.ceil(N / T), Math.ceil(M / T), 1],
    workgroupSize: [T, T, 1],
    size: false,
    uniforms: 'm : i32, n : i32, k : i32, off : i32, sk : i32, sn : i32, wa : i32,',
    getUserCode: () => tiledProductCode(
      'uniforms.k',
      `if (row < uniforms.m && ka < uniforms.k) { ${loadA} }`,
      'if (kb < uniforms.k && col < uniforms.n) { b = W[uniforms.off + kb * uniforms.sk + col * uniforms.sn]; }',
      `if (row < uniforms.m && col < uniforms.n) { ${store} }`,
    ),
  };
}

let registered = false;
function ensure(): void {
  if (registered) return;
  registered = true;
  registerWebgpuKernel<Attrs>({
    name: FLAT_MATMUL,
    inputs: ['a', 'flat', 'z', 'ext'],
    run([a, flat, z, ext], { block: [off, rows, cols], transposeB, deriv, actA }, gpu) {
      const M = a!.shape[0];
      const K = a!.shape[1] + (actA ? ext!.shape[1] : 0);
      const [bk, bn] = transposeB ? [cols, rows] : [rows, cols];
      const N = deriv ? z!.shape[1] : bn;
      if (bk !== K) throw new Error(`MlpFlatMatMul: A has ${K} columns, the block ${bk} rows`);
      // B(k, n) = flat[off + k sk + n sn].
      const [sk, sn] = transposeB ? [1, cols] : [cols, 1];
      const u = [M, N, K, off, sk, sn, a!.shape[1]].map((x) => ({ type: 'int32' as const, data: [x] }));
      const ins = deriv ? [a, flat, z] : actA ? [a, flat, ext] : [a, flat];
      return [gpu.run(program(M, N, deriv, actA), ins as TensorInfoLike[], u)];
    },
  });
}

/**
 * a [M, K] times the block (or its transpose) of `flat`: [M, cols] (or [M, rows]); with `z` [M, n] and its
 * activation, only the first n columns, times act'(z). webgpu only.
 */
export function flatMatMul(a: tf.Tensor2D, flat: tf.Tensor1D, block: Block, transposeB: boolean, z?: tf.Tensor2D, deriv?: 'silu' | 'relu'): tf.Tensor2D {
  ensure();
  const inputs: tf.NamedTensorMap = z ? { a, flat, z } : { a, flat };
  return tf.engine().runKernel(FLAT_MATMUL, inputs, { block, transposeB, deriv } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}

/** [act(z), ext] [M, W + E] times the block of `flat`, without storing [act(z), ext]. webgpu only. */
export function flatMatMulOfActivation(z: tf.Tensor2D, ext: tf.Tensor2D, act: 'silu' | 'relu', flat: tf.Tensor1D, block: Block): tf.Tensor2D {
  ensure();
  return tf.engine().runKernel(FLAT_MATMUL, { a: z, flat, ext }, { block, transposeB: false, actA: act } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
