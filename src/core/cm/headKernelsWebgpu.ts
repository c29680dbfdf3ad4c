// WGSL twins of headKernels.ts for the webgpu backend: f = skipX + c_out F in one dispatch, the l2 head in
// two (dF elementwise; the loss summed by one workgroup, since the heads are small: batch x data dims).
// Same float32 operation order as the plain-op chains; only the loss's summation order differs.
import { elementwise, i32, REDUCE_THREADS, registerWebgpuKernel, singleWorkgroupSum, sizeOf } from '../models/webgpuKernel';

// Sample i's value of a per-sample [B, 1, ...] input for flat element `e`, with `d` elements per sample.
export const F_OF = (e: string) => `(SKIP[${e}] + C[${e} / uniforms.d] * FF[${e}])`;
// The target's f from its raw output, as ConsistencyOut computes it.
export const T_OF = (e: string) => `(ST[${e}] + CT[${e} / uniforms.d] * FT[${e}])`;

/** This thread's share of the sum of w (f - target)^2 over all n entries (w per row of d). */
function l2LossShare(targetAt: string): string {
  return `
        for (var e = lid; e < uniforms.n; e = e + ${REDUCE_THREADS}) {
          let r = ${F_OF('e')} - ${targetAt};
          acc = acc + (r * r) * W[e / uniforms.d];
        }`;
}

export function registerHeadWebgpu(outName: string, l2Name: string, l2TargetName: string): void {
  registerWebgpuKernel<object>({
    name: outName,
    inputs: ['F', 'skipX', 'cOut'],
    run([F, skipX, cOut], _a, gpu) {
      const d = sizeOf(F!.shape) / sizeOf(cOut!.shape);
      return [gpu.run(elementwise('cmOut', ['FF', 'SKIP', 'C'], F!.shape, `result[index] = ${F_OF('index')};`, 'd : i32,'), [F, skipX, cOut], i32(d))];
    },
  });
  registerWebgpuKernel<object>({
    name: l2Name,
    inputs: ['F', 'skipX', 'cOut', 'target', 'coef', 'dCoef'],
    run([F, skipX, cOut, target, coef, dCoef], _a, gpu) {
      const n = sizeOf(F!.shape);
      const d = n / sizeOf(cOut!.shape);
      const dF = gpu.run(
        elementwise('cmL2Grad', ['FF', 'SKIP', 'C', 'TGT', 'DC'], F!.shape, `result[index] = (${F_OF('index')} - TGT[index]) * DC[index / uniforms.d];`, 'd : i32,'),
        [F, skipX, cOut, target, dCoef], i32(d),
      );
      const body = l2LossShare('TGT[e]');
      const loss = gpu.run(singleWorkgroupSum('cmL2Loss', ['FF', 'SKIP', 'C', 'TGT', 'W'], body, 'n : i32, d : i32,'), [F, skipX, cOut, target, coef], i32(n, d));
      return [{ ...loss, shape: [] }, dF];
    },
  });
  // The l2 head with the target's f made inside (one dispatch less than ConsistencyOut + the head).
  registerWebgpuKernel<object>({
    name: l2TargetName,
    inputs: ['F', 'skipX', 'cOut', 'tF', 'tSkipX', 'tCOut', 'coef', 'dCoef'],
    run([F, skipX, cOut, tF, tSkipX, tCOut, coef, dCoef], _a, gpu) {
      const n = sizeOf(F!.shape);
      const d = n / sizeOf(cOut!.shape);
      const names = ['FF', 'SKIP', 'C', 'FT', 'ST', 'CT'];
      const dF = gpu.run(
        elementwise('cmL2GradT', [...names, 'DC'], F!.shape, `result[index] = (${F_OF('index')} - ${T_OF('index')}) * DC[index / uniforms.d];`, 'd : i32,'),
        [F, skipX, cOut, tF, tSkipX, tCOut, dCoef], i32(d),
      );
      const body = l2LossShare(T_OF('e'));
      const loss = gpu.run(singleWorkgroupSum('cmL2LossT', [...names, 'W'], body, 'n : i32, d : i32,'), [F, skipX, cOut, tF, tSkipX, tCOut, coef], i32(n, d));
      return [{ ...loss, shape: [] }, dF];
    },
  });
}
