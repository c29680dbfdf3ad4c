// The hand-assembled WebAssembly SIMD module (simdOps.ts) on a memory of its own, against plain float32
// JavaScript doing the same operations in the same order.
import { describe, expect, it } from 'vitest';
import { blockOps } from '../../../src/core/models/padSwap';
import { wasmCopier } from '../../../src/core/models/rowCopies';
import { simdGroupNorm } from '../../../src/core/models/simdGroupNorm';
import { standaloneSimdOps } from '../../../src/core/models/simdOps';
import { Rng } from '../../../src/core/rng';

const f = Math.fround;
const { ops, memory } = standaloneSimdOps();
const heap = new Float32Array(memory.buffer);
const rng = new Rng(11);
/** Puts values at element offset `at` and returns the byte address. */
const put = (at: number, values: ArrayLike<number>) => (heap.set(values, at), 4 * at);
const read = (at: number, n: number) => Array.from(heap.subarray(at, at + n));

describe('WebAssembly SIMD ops', () => {
  it('assembles and instantiates', () => expect(ops).not.toBeNull());

  it('adam equals the float32 op chain', () => {
    const n = 16;
    const [p, g, m] = [rng.normals(n), rng.normals(n), rng.normals(n).map((x) => 0.1 * x)];
    const v = rng.normals(n).map((x) => x * x);
    const [b1, b2, s, e] = [f(0.9), f(0.999), f(1e-3), f(1e-8)];
    const [a1, a2] = [f(1 - 0.9), f(1 - 0.999)];
    ops!.adam(put(0, p), put(16, g), put(32, m), put(48, v), 4 * 64, 4 * 80, 4 * 96, n, b1, a1, b2, a2, s, e);
    for (let i = 0; i < n; i++) {
      const mi = f(f(m[i] * b1) + f(g[i] * a1));
      const vi = f(f(v[i] * b2) + f(f(g[i] * g[i]) * a2));
      expect(heap[80 + i]).toBe(mi);
      expect(heap[96 + i]).toBe(vi);
      expect(heap[64 + i]).toBe(f(p[i] - f(f(mi * s) / f(f(Math.sqrt(vi)) + e))));
    }
  });

  it('ema, silu (with and without the derivative) and transpose', () => {
    const n = 12;
    const [a, b] = [rng.normals(n), rng.normals(n)];
    ops!.ema(put(0, a), put(16, b), 4 * 32, n, f(0.95), f(0.05));
    expect(read(32, n)).toEqual(Array.from(a, (x, i) => f(f(b[i] * f(0.95)) + f(x * f(0.05)))));
    const s = Float32Array.from(b, (x) => 1 / (1 + Math.exp(-x)));
    ops!.silu(put(0, a), put(16, s), 4 * 32, 4 * 48, 0, 1, n, 0);
    const y = Array.from(a, (x, i) => f(x * s[i]));
    expect(read(32, n)).toEqual(y);
    expect(read(48, n)).toEqual(y.map((yi, i) => f(s[i] + f(yi * f(1 - s[i])))));
    ops!.siluInfer(put(0, a), put(16, s), 4 * 64, 0, 1, n, 0);
    expect(read(64, n)).toEqual(y);
    // Three rows of 4 with 2 extra columns each: y rows are [silu(z row), ext row].
    const ext = [7, 8, 9, 10, 11, 12];
    ops!.silu(put(0, a), put(16, s), 4 * 64, 4 * 96, put(112, ext), 3, 4, 2);
    const rowsY = [0, 1, 2].flatMap((r) => [...y.slice(4 * r, 4 * r + 4), ...ext.slice(2 * r, 2 * r + 2)]);
    expect(read(64, 18)).toEqual(rowsY);
    expect(read(96, 12)).toEqual(y.map((yi, i) => f(s[i] + f(yi * f(1 - s[i])))));
    ops!.siluInfer(put(0, a), put(16, s), 4 * 64, put(112, ext), 3, 4, 2);
    expect(read(64, 18)).toEqual(rowsY);
    const x = Array.from({ length: 15 }, (_, i) => i + 0.5); // 3 x 5
    ops!.transpose(put(0, x), 4 * 32, 3, 5);
    expect(read(32, 15)).toEqual([0, 5, 10, 1, 6, 11, 2, 7, 12, 3, 8, 13, 4, 9, 14].map((k) => x[k]));
  });

  // 4x4 register blocks inside, single elements at the edges: every mix of whole blocks and edge rows/columns.
  it.each([[4, 4], [8, 12], [5, 4], [4, 7], [9, 11], [1, 9], [13, 1], [64, 17]])('transposes %i x %i', (rows, cols) => {
    const x = Array.from({ length: rows * cols }, (_, i) => i + 0.25);
    const at = 16;
    ops!.transpose(put(at, x), 4 * (at + rows * cols + 8), rows, cols);
    const want = Array.from({ length: rows * cols }, (_, k) => x[(k % rows) * cols + Math.floor(k / rows)]);
    expect(read(at + rows * cols + 8, rows * cols)).toEqual(want);
  });
});

// The threaded wasm build's heap is a shared memory: every runtime-assembled module must import it as one.
describe('WebAssembly SIMD ops on a shared memory', () => {
  const shared = standaloneSimdOps(4, true);
  it('the memory is shared, and the module assembles against it', () => {
    expect(shared.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.ops).not.toBeNull();
  });

  it('computes the same as on a plain memory', () => {
    const h = new Float32Array(shared.memory.buffer);
    const [a, b] = [rng.normals(8), rng.normals(8)];
    h.set(a, 0);
    h.set(b, 16);
    heap.set(a, 0);
    heap.set(b, 16);
    shared.ops!.ema(0, 64, 128, 8, f(0.9), f(0.1));
    ops!.ema(0, 64, 128, 8, f(0.9), f(0.1));
    expect(Array.from(h.subarray(32, 40))).toEqual(read(32, 8));
  });

  it('the group-norm, pad-swap and row-copy modules assemble against it too', () => {
    expect(simdGroupNorm(shared.memory)).not.toBeNull();
    expect(blockOps(shared.memory)).not.toBeNull();
    expect(wasmCopier(shared.memory)).not.toBeNull();
  });
});
