// A tiny WebAssembly SIMD module that works directly on tfjs-backend-wasm's heap (it imports the backend's
// own memory), so the fused host kernels run as fast as tfjs's native elementwise kernels instead of as
// scalar JavaScript loops (measured 2-3x slower than wasm's ops for Adam over 200k floats). The module is
// assembled at run time from readable opcodes (wasmAssembler.ts); every function takes byte offsets
// into the heap and an element count that is a multiple of 4 (callers do the tail in JavaScript).
// Same float32 operations in the same order as the plain-op chains, so results equal theirs on wasm.

import { add, at, F32, fadd, fdiv, fmul, fsqrt, fsub, get, geU, heapModule, I32, i32c, load, loop, MAX_PAGES, mul, set, shl, simd, splat, store, tee, V128, type Fn } from './wasmAssembler';

export interface SimdOps {
  /** m' = m b1 + g a1, v' = v b2 + g^2 a2, p' = p - (m' scale) / (sqrt(v') + eps). */
  adam(p: number, g: number, m: number, v: number, po: number, mo: number, vo: number, n: number,
    b1: number, a1: number, b2: number, a2: number, scale: number, eps: number): void;
  /** out = t mu + src w. */
  ema(src: number, t: number, out: number, n: number, mu: number, w: number): void;
  /**
   * y = z s and, for training, d = s + y (1 - s) (SiLU and its derivative from s = sigmoid(z)), for `rows`
   * rows of W floats (a multiple of 4); y's rows are W + E floats, the last E copied from ext's rows.
   */
  silu(z: number, s: number, y: number, d: number, ext: number, rows: number, W: number, E: number): void;
  siluInfer(z: number, s: number, y: number, ext: number, rows: number, W: number, E: number): void;
  /** out[j, i] = x[i, j] for x [rows, cols] (any sizes). */
  transpose(x: number, out: number, rows: number, cols: number): void;
}

function adamFn(): Fn {
  // params: p g m v po mo vo n (i32) b1 a1 b2 a2 scale eps (f32); locals o end (i32), 6 splats, g m v (v128)
  const [p, g, m, v, po, mo, vo, n] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [o, end, vb1, va1, vb2, va2, vs, ve, gi, mi, vi] = [14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
  const splats = [8, 9, 10, 11, 12, 13].flatMap((k, i) => [...get(k), ...splat, ...set(vb1 + i)]);
  const body = [
    ...at(g, o), ...load, ...set(gi),
    ...at(mo, o), ...at(m, o), ...load, ...get(vb1), ...fmul, ...get(gi), ...get(va1), ...fmul, ...fadd, ...tee(mi), ...store,
    ...at(vo, o), ...at(v, o), ...load, ...get(vb2), ...fmul, ...get(gi), ...get(gi), ...fmul, ...get(va2), ...fmul, ...fadd, ...tee(vi), ...store,
    ...at(po, o), ...at(p, o), ...load, ...get(mi), ...get(vs), ...fmul, ...get(vi), ...fsqrt, ...get(ve), ...fadd, ...fdiv, ...fsub, ...store,
  ];
  return { name: 'adam', params: [...Array(8).fill(I32), ...Array(6).fill(F32)], locals: [I32, I32, ...Array(9).fill(V128)], body: [...splats, ...loop(n, o, end, 16, body)] };
}

function emaFn(): Fn {
  const [src, t, out, n, mu, w, o, end, vmu, vw] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const body = [...at(out, o), ...at(t, o), ...load, ...get(vmu), ...fmul, ...at(src, o), ...load, ...get(vw), ...fmul, ...fadd, ...store];
  return {
    name: 'ema', params: [I32, I32, I32, I32, F32, F32], locals: [I32, I32, V128, V128],
    body: [...get(mu), ...splat, ...set(vmu), ...get(w), ...splat, ...set(vw), ...loop(n, o, end, 16, body)],
  };
}

/**
 * Row by row (W floats each, a multiple of 4): y = z s and, for training, d = s + y (1 - s); y's rows are
 * W + E long, their last E floats copied from ext's rows (a layer's extra input columns: time features, 1).
 */
function siluFn(train: boolean): Fn {
  // train: z s y d ext rows W E; infer: z s y ext rows W E. locals o end i zr sr yr dr er (i32), sv yv one (v128)
  const [z, s, y] = [0, 1, 2];
  const d = train ? 3 : -1;
  const [ext, rows, W, E] = train ? [4, 5, 6, 7] : [3, 4, 5, 6];
  const [o, end, i, zr, sr, yr, dr, er, sv, yv, one] = Array.from({ length: 11 }, (_, k) => E + 1 + k);
  const yBody = [...at(yr, o), ...at(zr, o), ...load, ...at(sr, o), ...load, ...tee(sv), ...fmul, ...tee(yv), ...store];
  const dBody = [...at(dr, o), ...get(sv), ...get(yv), ...get(one), ...get(sv), ...fsub, ...fmul, ...fadd, ...store];
  const oneInit = [0x43, 0x00, 0x00, 0x80, 0x3f, ...splat, ...set(one)]; // f32.const 1.0
  const bump = (a: number, floats: number[]) => [...get(a), ...floats, ...i32c(2), ...shl, ...add, ...set(a)];
  const row = [
    ...loop(W, o, end, 16, train ? [...yBody, ...dBody] : yBody),
    ...get(yr), ...get(W), ...i32c(2), ...shl, ...add, ...get(er), ...get(E), ...i32c(2), ...shl, 0xfc, 0x0a, 0x00, 0x00, // memory.copy
    ...bump(zr, get(W)), ...bump(sr, get(W)), ...(train ? bump(dr, get(W)) : []),
    ...bump(yr, [...get(W), ...get(E), ...add]), ...bump(er, get(E)),
    ...get(i), ...i32c(1), ...add, ...set(i),
  ];
  return {
    name: train ? 'silu' : 'siluInfer', params: Array(E + 1).fill(I32), locals: [...Array(8).fill(I32), V128, V128, V128],
    body: [
      ...oneInit, ...get(z), ...set(zr), ...get(s), ...set(sr), ...get(y), ...set(yr), ...(train ? [...get(d), ...set(dr)] : []), ...get(ext), ...set(er),
      0x02, 0x40, 0x03, 0x40, ...get(i), ...get(rows), ...geU, 0x0d, 1, ...row, 0x0c, 0, 0x0b, 0x0b,
    ],
  };
}

/** i8x16.shuffle of two vectors picking the float lanes `lanes` (0-3: the first vector, 4-7: the second). */
const shuffle = (lanes: number[]) => [...simd(0x0d), ...lanes.flatMap((q) => [4 * q, 4 * q + 1, 4 * q + 2, 4 * q + 3])];
const [sub, and] = [[0x6b], [0x71]];

/**
 * out[j, i] = x[i, j] for x [rows, cols], any sizes: 4x4 blocks through registers (four row loads, eight
 * shuffles, four column stores) where both indices have four left, single elements for the edges. The
 * one-element loop alone took ~0.45 ms for [512, 273]: its stores stride a whole output row apart.
 */
function transposeFn(): Fn {
  const [x, out, rows, cols, i, j, src, dst, rowBytes, outBytes, r4, c4] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [v0, v1, v2, v3, t0, t1, t2, t3] = [12, 13, 14, 15, 16, 17, 18, 19];
  const whileLt = (a: number, end: number, body: number[]) => [0x02, 0x40, 0x03, 0x40, ...get(a), ...get(end), ...geU, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
  const inc = (a: number, by: number) => [...get(a), ...i32c(by), ...add, ...set(a)];
  const addr = (base: number, a: number, stride: number, b: number) => [...get(base), ...get(a), ...get(stride), ...mul, ...get(b), ...i32c(2), ...shl, ...add, ...add];
  const rowLoad = (k: number) => [...get(src), ...(k ? [...get(rowBytes), ...i32c(k), ...mul, ...add] : []), ...load, ...set(v0 + k)];
  const colStore = (k: number, value: number[]) => [...get(dst), ...(k ? [...get(outBytes), ...i32c(k), ...mul, ...add] : []), ...value, ...store];
  const block = [
    ...addr(x, i, rowBytes, j), ...set(src), ...addr(out, j, outBytes, i), ...set(dst),
    ...rowLoad(0), ...rowLoad(1), ...rowLoad(2), ...rowLoad(3),
    ...get(v0), ...get(v1), ...shuffle([0, 4, 1, 5]), ...set(t0), // x00 x10 x01 x11
    ...get(v0), ...get(v1), ...shuffle([2, 6, 3, 7]), ...set(t1), // x02 x12 x03 x13
    ...get(v2), ...get(v3), ...shuffle([0, 4, 1, 5]), ...set(t2),
    ...get(v2), ...get(v3), ...shuffle([2, 6, 3, 7]), ...set(t3),
    ...colStore(0, [...get(t0), ...get(t2), ...shuffle([0, 1, 4, 5])]),
    ...colStore(1, [...get(t0), ...get(t2), ...shuffle([2, 3, 6, 7])]),
    ...colStore(2, [...get(t1), ...get(t3), ...shuffle([0, 1, 4, 5])]),
    ...colStore(3, [...get(t1), ...get(t3), ...shuffle([2, 3, 6, 7])]),
  ];
  const one = [...addr(out, j, outBytes, i), ...addr(x, i, rowBytes, j), 0x2a, 2, 0, 0x38, 2, 0]; // f32.store(out[j, i], f32.load(x[i, j]))
  // for i in [i0, iEnd) (step di) { for j in [j0, jEnd) (step dj) { body } }
  const grid = (i0: number[], iEnd: number, di: number, j0: number[], jEnd: number, dj: number, body: number[]) => [
    ...i0, ...set(i), ...whileLt(i, iEnd, [...j0, ...set(j), ...whileLt(j, jEnd, [...body, ...inc(j, dj)]), ...inc(i, di)]),
  ];
  const down4 = (a: number) => [...get(a), ...get(a), ...i32c(3), ...and, ...sub];
  return {
    name: 'transpose', params: [I32, I32, I32, I32], locals: [...Array(8).fill(I32), ...Array(8).fill(V128)],
    body: [
      ...get(cols), ...i32c(2), ...shl, ...set(rowBytes), ...get(rows), ...i32c(2), ...shl, ...set(outBytes),
      ...down4(rows), ...set(r4), ...down4(cols), ...set(c4),
      ...grid(i32c(0), r4, 4, i32c(0), c4, 4, block),
      ...grid(i32c(0), rows, 1, get(c4), cols, 1, one), // the last cols % 4 columns, every row
      ...grid(get(r4), rows, 1, i32c(0), c4, 1, one), // the last rows % 4 rows, the other columns
    ],
  };
}

/** The module bound to `memory`, or null where WebAssembly SIMD is unavailable (callers loop in JS). */
export const simdOps = heapModule<SimdOps>(() => [adamFn(), emaFn(), siluFn(true), siluFn(false), transposeFn()]);

/** For tests: the module on a fresh memory of its own. */
export function standaloneSimdOps(pages = 4, shared = false): { ops: SimdOps | null; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory(shared ? { initial: pages, maximum: MAX_PAGES, shared: true } : { initial: pages });
  return { ops: simdOps(memory), memory };
}
