// The row passes of the fused GroupNorm kernels (groupNormLoops.ts) as WebAssembly SIMD on the wasm backend's
// heap, assembled with simdOps.ts's helpers. Each works on one sample, P rows of C channels (C a multiple of
// 4), byte addresses throughout; per-channel vectors (coefficients, accumulators) are C floats on the heap.
import { add, fadd, fmul, fsub, get, geU, heapModule, i32c, I32, load, mul, set, shl, splat, store, tee, V128, type Fn } from './wasmAssembler';

export interface SimdGroupNorm {
  /** acc[c] = sum_p x[p, c]. */
  colSums(x: number, acc: number, P: number, C: number): void;
  /** acc[c] = sum_p (x[p, c] - m[c])^2. */
  colSqDev(x: number, m: number, acc: number, P: number, C: number): void;
  /** out[p, c] = x[p, c] A[c] + Bc[c]. */
  rowAffine(x: number, out: number, A: number, Bc: number, P: number, C: number): void;
  /** dz = dy s (1 + z (1 - s)); sdz[c] = sum_p dz, sdzx[c] = sum_p dz (x - m[c]). */
  gnDz(dy: number, x: number, z: number, s: number, dz: number, m: number, sdz: number, sdzx: number, P: number, C: number): void;
  /** dx[p, c] = dz[p, c] P[c] + x[p, c] Q[c] + R[c] (dx may alias dz). */
  rowAffine2(dz: number, x: number, dx: number, Pc: number, Qc: number, Rc: number, P: number, C: number): void;
}

const f32c0 = [0x43, 0, 0, 0, 0];
const f32c1 = [0x43, 0x00, 0x00, 0x80, 0x3f];

/**
 * Locals after the params: r, c, rEnd, cEnd (i32), then `vecs` v128 temporaries. `pre` runs first (with
 * cEnd set), then for r over rows (bytes), c over channel bytes in steps of 16: `body`.
 * el(ptr) is the address of element [r, c] of a row-major [P, C] block, co(ptr) of channel c of a vector.
 */
function rowsFn(name: string, nParams: number, vecs: number,
  make: (l: { el: (p: number) => number[]; co: (p: number) => number[]; v: (k: number) => number }) => { pre?: number[]; body: number[] }): Fn {
  const [P, C] = [nParams - 2, nParams - 1];
  const [r, c, rEnd, cEnd] = [nParams, nParams + 1, nParams + 2, nParams + 3];
  const el = (p: number) => [...get(p), ...get(r), ...add, ...get(c), ...add];
  const co = (p: number) => [...get(p), ...get(c), ...add];
  const { pre = [], body } = make({ el, co, v: (k) => nParams + 4 + k });
  const cols = (inner: number[]) => [
    ...i32c(0), ...set(c), 0x02, 0x40, 0x03, 0x40, ...get(c), ...get(cEnd), ...geU, 0x0d, 1,
    ...inner, ...get(c), ...i32c(16), ...add, ...set(c), 0x0c, 0, 0x0b, 0x0b,
  ];
  return {
    name, params: Array(nParams).fill(I32), locals: [I32, I32, I32, I32, ...Array(vecs).fill(V128)],
    body: [
      ...get(C), ...i32c(2), ...shl, ...set(cEnd), ...get(P), ...get(cEnd), ...mul, ...set(rEnd),
      ...(pre.length ? cols(pre) : []),
      ...i32c(0), ...set(r), 0x02, 0x40, 0x03, 0x40, ...get(r), ...get(rEnd), ...geU, 0x0d, 1,
      ...cols(body), ...get(r), ...get(cEnd), ...add, ...set(r), 0x0c, 0, 0x0b, 0x0b,
    ],
  };
}

const zero = (co: (p: number) => number[], p: number) => [...co(p), ...f32c0, ...splat, ...store];

function fns(): Fn[] {
  return [
    rowsFn('colSums', 4, 0, ({ el, co }) => ({
      pre: zero(co, 1),
      body: [...co(1), ...co(1), ...load, ...el(0), ...load, ...fadd, ...store],
    })),
    rowsFn('colSqDev', 5, 1, ({ el, co, v }) => ({
      pre: zero(co, 2),
      body: [
        ...el(0), ...load, ...co(1), ...load, ...fsub, ...tee(v(0)), ...get(v(0)), ...fmul, ...set(v(0)),
        ...co(2), ...co(2), ...load, ...get(v(0)), ...fadd, ...store,
      ],
    })),
    rowsFn('rowAffine', 6, 0, ({ el, co }) => ({
      body: [...el(1), ...el(0), ...load, ...co(2), ...load, ...fmul, ...co(3), ...load, ...fadd, ...store],
    })),
    // params dy x z s dz m sdz sdzx P C; v0 = s, v1 = d
    rowsFn('gnDz', 10, 2, ({ el, co, v }) => ({
      pre: [...zero(co, 6), ...zero(co, 7)],
      body: [
        ...el(3), ...load, ...set(v(0)),
        ...el(0), ...load, ...get(v(0)), ...fmul,
        ...f32c1, ...splat, ...el(2), ...load, ...f32c1, ...splat, ...get(v(0)), ...fsub, ...fmul, ...fadd,
        ...fmul, ...set(v(1)),
        ...el(4), ...get(v(1)), ...store,
        ...co(6), ...co(6), ...load, ...get(v(1)), ...fadd, ...store,
        ...co(7), ...co(7), ...load, ...get(v(1)), ...el(1), ...load, ...co(5), ...load, ...fsub, ...fmul, ...fadd, ...store,
      ],
    })),
    // params dz x dx Pc Qc Rc P C
    rowsFn('rowAffine2', 8, 0, ({ el, co }) => ({
      body: [
        ...el(2), ...el(0), ...load, ...co(3), ...load, ...fmul, ...el(1), ...load, ...co(4), ...load, ...fmul, ...fadd,
        ...co(5), ...load, ...fadd, ...store,
      ],
    })),
  ];
}

/** The passes bound to `memory`, or null where WebAssembly SIMD is unavailable (callers loop in JS). */
export const simdGroupNorm = heapModule<SimdGroupNorm>(fns);
