// WGSL twins of flatUpdateKernels.ts for the webgpu backend: Adam is three dispatches (m, v and the
// parameters each recompute the new moments, since a tfjs program has one output), each EMA one. The
// arithmetic is the plain-op chain's, operation by operation in float32, so both paths agree to rounding.
import { elementwise, f32, registerWebgpuKernel } from '../models/webgpuKernel';
import type { AdamCoefs } from './flatUpdateKernels';

const NEW_M = 'M[index] * uniforms.b1 + G[index] * uniforms.a1';
const NEW_V = 'V[index] * uniforms.b2 + (G[index] * G[index]) * uniforms.a2';
const COEFS = 'b1 : f32, a1 : f32, b2 : f32, a2 : f32, scale : f32, eps : f32,';

export function registerFlatUpdateWebgpu(adamName: string, emaName: string): void {
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
          elementwise('flatAdamP', ['P', 'G', 'M', 'V'], n, `let m2 = ${NEW_M}; let v2 = ${NEW_V}; result[index] = P[index] - (m2 * uniforms.scale) / (sqrt(v2) + uniforms.eps);`, COEFS),
          [p, g, m, v], f32(b1, a1, b2, a2, c.scale, c.eps),
        )
        : gpu.run(elementwise('flatAdamPPlain', ['P', 'G', 'M'], n, `let m2 = ${NEW_M}; result[index] = P[index] - m2 * uniforms.scale;`, 'b1 : f32, a1 : f32, scale : f32,'), [p, g, m], f32(b1, a1, c.scale));
      return [pOut, mOut, vOut];
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
