// WGSL twins of huberHead.ts: two dispatches like the l2 head. dF: one thread per sample that sums its
// |r|^2 over d, then writes r dCoef / q (q = sqrt(|r|^2 + c^2)); the loss: one workgroup, each thread
// taking samples in turn, reduced in a tree. Same float32 operation order as the plain-op twin; only the
// summation order of the loss differs.
import { F_OF, T_OF } from './headKernelsWebgpu';
import type { HuberAttrs } from './huberHead';
import type { TensorInfoLike } from '../models/hostKernel';
import { f32, i32, perSample, REDUCE_THREADS, registerWebgpuKernel, singleWorkgroupSum, sizeOf, type GpuRunner, type WebgpuProgram } from '../models/webgpuKernel';

/** WGSL statements that leave sample `i`'s q = sqrt(|r_i|^2 + c^2) in `q`. */
const normOf = (targetAt: (e: string) => string) => `
          var s = 0.0;
          for (var k = 0; k < uniforms.d; k = k + 1) {
            let e = i * uniforms.d + k;
            let r = ${F_OF('e')} - ${targetAt('e')};
            s = s + r * r;
          }
          let q = sqrt(s + uniforms.c2);`;

/** dF [B, d], one thread per sample. */
function gradProgram(key: string, names: string[], B: number, d: number, targetAt: (e: string) => string): WebgpuProgram {
  return perSample(key, names, [B, d], 'b : i32, d : i32, c2 : f32,', `
          let i = index;
          ${normOf(targetAt)}
          let g = DC[i] / q;
          for (var k = 0; k < uniforms.d; k = k + 1) {
            let e = i * uniforms.d + k;
            result[e] = (${F_OF('e')} - ${targetAt('e')}) * g;
          }`);
}

/** This thread's share of sum_i W_i (q_i - c). */
function lossShare(targetAt: (e: string) => string): string {
  return `
        for (var i = lid; i < uniforms.b; i = i + ${REDUCE_THREADS}) {
          ${normOf(targetAt)}
          acc = acc + (q - uniforms.c) * W[i];
        }`;
}

export function registerHuberHeadWebgpu(name: string, targetName: string): void {
  // ins: the operands named by `names`, then coef, then dCoef.
  const headOf = (suffix: string, names: string[], targetAt: (e: string) => string) =>
    (ins: (TensorInfoLike | null)[], c: number, gpu: GpuRunner): TensorInfoLike[] => {
      const F = ins[0]!;
      const B = sizeOf(ins[2]!.shape);
      const d = sizeOf(F.shape) / B;
      const operands = ins.slice(0, names.length);
      const dF = gpu.run(gradProgram(`cmHuberGrad${suffix}`, [...names, 'DC'], B, d, targetAt), [...operands, ins[names.length + 1]], [...i32(B, d), ...f32(c * c)]);
      const lossP = singleWorkgroupSum(`cmHuberLoss${suffix}`, [...names, 'W'], lossShare(targetAt), 'b : i32, d : i32, c2 : f32, c : f32,');
      const loss = gpu.run(lossP, [...operands, ins[names.length]], [...i32(B, d), ...f32(c * c, c)]);
      return [{ ...loss, shape: [] }, dF];
    };
  const plain = headOf('', ['FF', 'SKIP', 'C', 'TGT'], (e) => `TGT[${e}]`);
  registerWebgpuKernel<HuberAttrs>({
    name,
    inputs: ['F', 'skipX', 'cOut', 'target', 'coef', 'dCoef'],
    run: (ins, { c }, gpu) => plain(ins, c, gpu),
  });
  // The target's f made inside from its raw output (as the l2 head of target).
  const ofTarget = headOf('T', ['FF', 'SKIP', 'C', 'FT', 'ST', 'CT'], T_OF);
  registerWebgpuKernel<HuberAttrs>({
    name: targetName,
    inputs: ['F', 'skipX', 'cOut', 'tF', 'tSkipX', 'tCOut', 'coef', 'dCoef'],
    run: (ins, { c }, gpu) => ofTarget(ins, c, gpu),
  });
}
