// WGSL twins of mlpKernels.ts and of FlattenParams (unflattenKernel.ts) for the webgpu backend: one
// dispatch per output (tfjs programs have one output binding). Parameter blocks are copies (or transposed
// copies) out of the flat buffer; the activation writes act(z) with the extra columns, its transpose and
// act'(z) with the plain-op chain's float32 operations in the same order.
import type { ActAttrs, Block } from './mlpKernels';
import type { TensorInfoLike } from './hostKernel';
import { elementwise, i32, registerWebgpuKernel } from './webgpuKernel';

const MAX_PARTS = 64;
const PER_PASS = 6;
const BLOCK_U = 'off : i32, rows : i32, cols : i32,';

export function registerMlpWebgpu(blocksName: string, activationName: string, flattenName: string): void {
  registerWebgpuKernel<{ blocks: Block[]; transposed: Block[] }>({
    name: blocksName,
    inputs: ['x'],
    run([x], a, gpu) {
      const cut = a.blocks.map(([o, r, c]) => gpu.run(elementwise('mlpBlock', ['X'], [r, c], 'result[index] = X[uniforms.off + index];', BLOCK_U), [x], i32(o, r, c)));
      // Output [cols, rows]: element (j, i) is block element (i, j).
      const body = 'let j = index / uniforms.rows; let i = index - j * uniforms.rows; result[index] = X[uniforms.off + i * uniforms.cols + j];';
      const tr = a.transposed.map(([o, r, c]) => gpu.run(elementwise('mlpBlockT', ['X'], [c, r], body, BLOCK_U), [x], i32(o, r, c)));
      return [...cut, ...tr];
    },
  });
  registerWebgpuKernel<ActAttrs>({
    name: activationName,
    inputs: ['z', 's', 'ext'],
    run([z, s, ext], a, gpu) {
      const [B, W] = z!.shape;
      const E = ext ? ext.shape[1] : 0;
      const C = W + E;
      const silu = a.act === 'silu';
      // Without s, the sigmoid is computed here with tfjs's own formula (one dispatch less per layer).
      const withS = silu && !!s;
      const names = ['Z', ...(withS ? ['S'] : []), ...(ext ? ['X'] : [])];
      const ins = [z, ...(withS ? [s] : []), ...(ext ? [ext] : [])];
      const sig = (k: string) => (withS ? `S[${k}]` : `(1.0 / (1.0 + exp(-1.0 * Z[${k}])))`);
      // h(i, j) for j < W, else the extra column; `i`, `j` are set by the caller's prologue.
      const h = silu ? `Z[i * uniforms.w + j] * ${sig('i * uniforms.w + j')}` : 'max(Z[i * uniforms.w + j], 0.0)';
      const value = ext ? `select(X[i * uniforms.e + j - uniforms.w], ${h}, j < uniforms.w)` : h;
      const u = 'w : i32, e : i32, b : i32,';
      const key = `mlpAct_${a.act}_${withS}_${!!ext}`;
      // select() reads both sides: clamp the indices the unused side would take out of range.
      const guard = ext ? 'let jc = min(j, uniforms.w - 1); let jx = max(j, uniforms.w);' : '';
      const safe = (v: string) => (ext ? v.replace(/i \* uniforms\.w \+ j/g, 'i * uniforms.w + jc').replace('uniforms.e + j', 'uniforms.e + jx') : v);
      const rowMajor = `let i = index / (uniforms.w + uniforms.e); let j = index - i * (uniforms.w + uniforms.e); ${guard} result[index] = ${safe(value)};`;
      const y = gpu.run(elementwise(key, names, [B, C], rowMajor, u), ins, i32(W, E, B));
      if (!a.train) return [y];
      const colMajor = `let j = index / uniforms.b; let i = index - j * uniforms.b; ${guard} result[index] = ${safe(value)};`;
      const yT = gpu.run(elementwise(`${key}T`, names, [C, B], colMajor, u), ins, i32(W, E, B));
      const dNames = withS ? ['Z', 'S'] : ['Z'];
      const dBody = silu
        ? `let s = ${sig('index')}; let hh = Z[index] * s; result[index] = s + hh * (1.0 - s);`
        : 'let v = Z[index]; result[index] = select(select(0.0, 1.0, v > 0.0), v, v != v);';
      const d = gpu.run(elementwise(`mlpActD_${a.act}_${withS}`, dNames, [B, W], dBody, 'w : i32,'), withS ? [z, s] : [z], i32(W));
      return [y, yT, d];
    },
  });
  registerWebgpuKernel<{ offsets: number[]; total: number }>({
    name: flattenName,
    inputs: Array.from({ length: MAX_PARTS }, (_, i) => `p${i}`),
    run(ins, a, gpu) {
      if (a.offsets.length > MAX_PARTS) throw new Error(`FlattenParams on webgpu takes at most ${MAX_PARTS} parts (got ${a.offsets.length})`);
      const all = ins.slice(0, a.offsets.length);
      const ends = all.map((p, i) => a.offsets[i] + p!.shape.reduce((x, y) => x * y, 1));
      // WebGPU grants 8 storage buffers per stage by default (tfjs asks for no more): the output and up to 7
      // inputs. So at most PER_PASS parts per dispatch, each later dispatch copying the earlier result through.
      let out: TensorInfoLike | null = null;
      for (let from = 0; from < all.length; from += PER_PASS) {
        const parts = all.slice(from, from + PER_PASS);
        const names = parts.map((_, i) => `P${i}`);
        const range = (i: number) => `index >= ${a.offsets[from + i]} && index < ${ends[from + i]}`;
        // Parts in layout order; the rest is the previous pass's result (or zero: no gaps in an MLP's layout).
        const branches = parts.map((_, i) => `if (${range(i)}) { v = P${i}[index - ${a.offsets[from + i]}]; }`).join(' else ');
        const key = `flattenParams_${a.offsets.slice(from, from + PER_PASS).join('_')}_${ends.slice(from, from + PER_PASS).join('_')}_${!!out}`;
        const prev = out ? 'v = PREV[index];' : '';
        const body = `var v = 0.0; ${prev} ${branches} result[index] = v;`;
        const next: TensorInfoLike = gpu.run(elementwise(key, out ? [...names, 'PREV'] : names, [a.total], body), out ? [...parts, out] : parts);
        if (out) gpu.dispose(out);
        out = next;
      }
      return [out!];
    },
  });
}
