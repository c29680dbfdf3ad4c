// "MlpWeightGrad" (webgpu only): a layer's weight gradient A^T dz ([K, N]) where A is the layer's input, given
// as is ([B, K]) or as z [B, W] and extra columns [B, E] with A = [act(z), extra] made as the tiles load (the
// activation kernel's formula), so the online forward never stores a layer's output either. 16 x 16 tiles in
// workgroup memory; each output sums over the batch in order, one multiply-add at a time.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfoLike } from './hostKernel';
import { ACT, TILE, tiledProductCode } from './flatMatMulWebgpu';
import { registerWebgpuKernel, type WebgpuProgram } from './webgpuKernel';

export const WEIGHT_GRAD = 'MlpWeightGrad';
const T = TILE;

function program(K: number, N: number, act?: 'silu' | 'relu'): WebgpuProgram {
  // A(i, c): row i of the layer's input, column c.
  const load = act
    ? `if (c < uniforms.wa) { a = ${ACT[act]('A[i * uniforms.wa + c]')}; } else { a = X[i * (uniforms.m - uniforms.wa) + c - uniforms.wa]; }`
    : 'a = A[i * uniforms.m + c];';
  return {
    variableNames: act ? ['A', 'D', 'X'] : ['A', 'D'],
    outputShape: [K, N],
    shaderKey: `mlpWeightGrad_${act ?? 'none'}`,
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
      'if (row < uniforms.m && col < uniforms.n) { result[row * uniforms.n + col] = acc; }',
    ),
  };
}

let registered = false;
function ensure(): void {
  if (registered) return;
  registered = true;
  registerWebgpuKernel<{ act?: 'silu' | 'relu' }>({
    name: WEIGHT_GRAD,
    inputs: ['a', 'dz', 'ext'],
    run([a, dz, ext], { act }, gpu) {
      const [B, Wa] = a!.shape;
      const K = Wa + (act ? ext!.shape[1] : 0);
      const N = dz!.shape[1];
      if (dz!.shape[0] !== B) throw new Error(`MlpWeightGrad: ${B} input rows, ${dz!.shape[0]} gradient rows`);
      const u = [K, N, B, Wa].map((x) => ({ type: 'int32' as const, data: [x] }));
      return [gpu.run(program(K, N, act), (act ? [a, dz, ext] : [a, dz]) as TensorInfoLike[], u)];
    },
  });
}

/** input^T dz for a layer input given as is. webgpu only. */
export function weightGrad(input: tf.Tensor2D, dz: tf.Tensor2D): tf.Tensor2D {
  ensure();
  return tf.engine().runKernel(WEIGHT_GRAD, { a: input, dz }, {}) as tf.Tensor2D;
}

/** [act(z), ext]^T dz, without storing [act(z), ext]. webgpu only. */
export function weightGradOfActivation(z: tf.Tensor2D, ext: tf.Tensor2D, act: 'silu' | 'relu', dz: tf.Tensor2D): tf.Tensor2D {
  ensure();
  return tf.engine().runKernel(WEIGHT_GRAD, { a: z, dz, ext }, { act } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
