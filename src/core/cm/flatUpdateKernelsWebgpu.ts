// WGSL twins of flatUpdateKernels.ts for the webgpu backend: Adam is three dispatches (m, v and the
// parameters each recompute the new moments, since a tfjs program has one output), each EMA one. Adam on
// packed moments [m; v] (FlatAdam's storage on webgpu's fused path) is two: [m'; v'], then the parameters
// from the stored m', v'. The arithmetic is the plain-op chain's, operation by operation in float32, so
// both paths agree to rounding.
import { elementwise, f32, i32, registerWebgpuKernel } from '../models/webgpuKernel';
import type { AdamCoefs } from './flatUpdateKernels';

// The new moments from the old one (`m`, `v`) and the gradient (`g`), as WGSL expressions.
const newM = (m: string, g: string) => `${m} * uniforms.b1 + ${g} * uniforms.a1`;
const newV = (v: string, g: string) => `${v} * uniforms.b2 + (${g} * ${g}) * uniforms.a2`;
const NEW_M = newM('M[index]', 'G[index]');
const NEW_V = newV('V[index]', 'G[index]');
const COEFS = 'b1 : f32, a1 : f32, b2 : f32, a2 : f32, scale : f32, eps : f32,';
// p - update from the new moments m2, v2.
const update = (adaptive: boolean) => (adaptive ? '(m2 * uniforms.scale) / (sqrt(v2) + uniforms.eps)' : 'm2 * uniforms.scale');

export function registerFlatUpdateWebgpu(adamName: string, emaName: string, packedAdamName: string): void {
  registerWebgpuKernel<AdamCoefs>({
    name: adamName,
    inputs: ['p', 'g', 'm', 'v'],
    run([p, g, m, v], c, gpu) {
      const n = [p!.shape[0]];
      const [b1, a1, b2, a2] = [c.beta1, 1 - c.beta1, c.beta2, 1 - c.beta2];
      // Each program binds only what it reads (the pipeline layout is derived from the shader).
      const mOut = gpu.run(elementwise('flatAdamM', ['M', 'G'], n, `result[index] = ${NEW_M};`, 'b1 : f32, a1 : f32,'), [m, g], f32(b1, a1));
      const vOut = gpu.run(elementwise('flatAdamV', ['V', 'G'], n, `result[index] = ${NEW_V};`, 'b2 : f32, a2 : f32,'), [v, g], f32(b2, a2));
      const pOut = c.adaptive
        ? gpu.run(
          elementwise('flatAdamP', ['P', 'G', 'M', 'V'], n, `let m2 = ${NEW_M}; let v2 = ${NEW_V}; result[index] = P[index] - ${update(true)};`, COEFS),
          [p, g, m, v], f32(b1, a1, b2, a2, c.scale, c.eps),
        )
        : gpu.run(elementwise('flatAdamPPlain', ['P', 'G', 'M'], n, `let m2 = ${NEW_M}; result[index] = P[index] - ${update(false)};`, 'b1 : f32, a1 : f32, scale : f32,'), [p, g, m], f32(b1, a1, c.scale));
      return [pOut, mOut, vOut];
    },
  });
  registerWebgpuKernel<AdamCoefs>({
    name: packedAdamName,
    inputs: ['p', 'g', 'mv'],
    run([p, g, mv], c, gpu) {
      const n = p!.shape[0];
      if (g!.shape[0] !== n || mv!.shape[0] !== 2 * n) {
        throw new Error(`FlatAdamPacked: ${n} parameters, ${g!.shape[0]} gradients and ${mv!.shape[0]} moments (want ${2 * n})`);
      }
      const [b1, a1, b2, a2] = [c.beta1, 1 - c.beta1, c.beta2, 1 - c.beta2];
      // Entries below n are m, the rest v (of parameter index - n).
      const mvBody = `if (index < uniforms.n) { result[index] = ${newM('MV[index]', 'G[index]')}; }
        else { let i = index - uniforms.n; result[index] = ${newV('MV[index]', 'G[i]')}; }`;
      const mvOut = gpu.run(elementwise('flatAdamMV', ['MV', 'G'], [2 * n], mvBody, 'n : i32, b1 : f32, a1 : f32, b2 : f32, a2 : f32,'), [mv, g], [...i32(n), ...f32(b1, a1, b2, a2)]);
      const v2 = c.adaptive ? 'let v2 = MV[index + uniforms.n];' : '';
      const pBody = `let m2 = MV[index]; ${v2} result[index] = P[index] - ${update(c.adaptive)};`;
      const pOut = gpu.run(elementwise(`flatAdamPMV_${c.adaptive}`, ['P', 'MV'], [n], pBody, 'n : i32, scale : f32, eps : f32,'), [p, mvOut], [...i32(n), ...f32(c.scale, c.eps)]);
      return [pOut, mvOut];
    },
  });
  registerWebgpuKernel<{ mus: number[] }>({
    name: emaName,
    inputs: ['src', 't0', 't1'],
    run([src, t0, t1], a, gpu) {
      return a.mus.map((mu, k) => {
        const t = k === 0 ? t0 : t1;
        const n = [src!.shape[0]];
        if (mu === 0) return gpu.run(elementwise('flatCopy', ['S'], n, 'result[index] = S[index];'), [src]); // the plain path clones
        const body = 'result[index] = T[index] * uniforms.mu + S[index] * uniforms.w;';
        return gpu.run(elementwise('flatEma', ['S', 'T'], n, body, 'mu : f32, w : f32,'), [src, t], f32(mu, 1 - mu));
      });
    },
  });
}
