// A matrix product C[M, N] = A[M, K] B[K, N] (row-major float32 on the wasm backend's heap) as a WebAssembly
// SIMD module assembled here, specialised for one K and N so every address step is an immediate. Why not
// XNNPACK's product (tfjs's MatMul): on one thread it reaches ~27 GFLOP/s at 512x257x256 on this machine,
// this 4x8 register block ~40 with mul + add and ~53 with f32x4.relaxed_madd, which compiles to one FMA
// where the CPU has it (NOTES, "Own matrix product"). relaxed_madd may round once or twice depending on
// the hardware, so results can differ across machines in the last bit; on one machine they are fixed.
import { add as addI, assemble, fadd, fmul, geU, get, I32, i32c, instantiate, loadAt as load, mul as mulI, set, simd, storeAt as store, tee, uleb, V128, type Fn } from './wasmAssembler';

/** Columns per register block: two 4-lane vectors. N must be a multiple of this. */
export const GEMM_COLS = 8;
/** Rows per register block (the last M % 4 rows run one at a time). */
const ROWS = 4;

export type GemmFn = (a: number, b: number, c: number, m: number, panel: number) => void;

const [subI, remU, ltU] = [[0x6b], [0x70], [0x49]];
const loadSplat = (offset: number) => [...simd(0x09), 2, ...uleb(offset)]; // v128.load32_splat
const relaxedMadd = simd(0x105);
const zero = [...simd(0x0c), ...Array(16).fill(0)]; // v128.const 0

/**
 * gemm(a, b, c, m, panel): byte addresses of A, B, C, the row count M and a scratch block of 32 K bytes
 * (16-byte aligned); K and N are built in. Per 8 columns of C, B's columns are first copied into the
 * panel, row after row (B's own rows are N floats apart: at N = 256 a power-of-two stride that maps a
 * column strip onto a few cache sets, ~6% slower), then every 4-row block of A runs against it.
 */
export function gemmFn(K: number, N: number, fma: boolean): Fn {
  if (N % GEMM_COLS !== 0 || K < 1) throw new Error(`gemmFn: N (${N}) must be a multiple of ${GEMM_COLS} and K (${K}) >= 1`);
  const [a, b, c, m, panel] = [0, 1, 2, 3, 4];
  const [j, pa, pc, blockEnd, rowEnd, pk, pb, kEnd] = [5, 6, 7, 8, 9, 10, 11, 12];
  const acc = (r: number, v: number) => 13 + r * 2 + v;
  const [bv, s] = [13 + ROWS * 2, 13 + ROWS * 2 + 2];
  const PANEL_ROW = GEMM_COLS * 4;
  const madd = (r: number, v: number) => fma
    ? [...get(s), ...get(bv + v), ...get(acc(r, v)), ...relaxedMadd, ...set(acc(r, v))]
    : [...get(acc(r, v)), ...get(s), ...get(bv + v), ...fmul, ...fadd, ...set(acc(r, v))];
  // One k: the panel's row k (two vectors), then per row A[r, k] broadcast into both accumulators.
  const kStep = (rows: number) => [
    ...get(pb), ...load(0), ...set(bv), ...get(pb), ...load(16), ...set(bv + 1),
    ...Array.from({ length: rows }, (_, r) => [...get(pk), ...loadSplat(r * K * 4), ...set(s), ...madd(r, 0), ...madd(r, 1)]).flat(),
  ];
  // rows x 8 block of C at pc from rows of A at pa and the panel.
  const block = (rows: number) => [
    ...Array.from({ length: rows }, (_, r) => [...zero, ...set(acc(r, 0)), ...zero, ...set(acc(r, 1))]).flat(),
    ...get(pa), ...set(pk), ...get(panel), ...set(pb),
    ...get(pa), ...i32c(K * 4), ...addI, ...set(kEnd),
    0x03, 0x40,
    ...kStep(rows),
    ...get(pb), ...i32c(PANEL_ROW), ...addI, ...set(pb),
    ...get(pk), ...i32c(4), ...addI, ...tee(pk), ...get(kEnd), ...ltU, 0x0d, 0,
    0x0b,
    ...Array.from({ length: rows }, (_, r) => [0, 1].flatMap((v) => [...get(pc), ...get(acc(r, v)), ...store(r * N * 4 + v * 16)])).flat(),
  ];
  // while (pa < end) { block; pa += rows K; pc += rows N }
  const rowsLoop = (rows: number, end: number) => [
    0x02, 0x40, 0x03, 0x40,
    ...get(pa), ...get(end), ...geU, 0x0d, 1,
    ...block(rows),
    ...get(pa), ...i32c(rows * K * 4), ...addI, ...set(pa), ...get(pc), ...i32c(rows * N * 4), ...addI, ...set(pc),
    0x0c, 0, 0x0b, 0x0b,
  ];
  // panel[k] = B[k, j .. j + 7] for every k.
  const pack = [
    ...get(b), ...get(j), ...addI, ...set(pk), ...get(panel), ...set(pb), ...get(panel), ...i32c(K * PANEL_ROW), ...addI, ...set(kEnd),
    0x03, 0x40,
    ...get(pb), ...get(pk), ...load(0), ...store(0), ...get(pb), ...get(pk), ...load(16), ...store(16),
    ...get(pk), ...i32c(N * 4), ...addI, ...set(pk),
    ...get(pb), ...i32c(PANEL_ROW), ...addI, ...tee(pb), ...get(kEnd), ...ltU, 0x0d, 0,
    0x0b,
  ];
  const body = [
    ...i32c(0), ...set(j),
    ...get(a), ...get(m), ...get(m), ...i32c(ROWS), ...remU, ...subI, ...i32c(K * 4), ...mulI, ...addI, ...set(blockEnd),
    ...get(a), ...get(m), ...i32c(K * 4), ...mulI, ...addI, ...set(rowEnd),
    0x03, 0x40, // for each 8 columns j (bytes)
    ...pack,
    ...get(a), ...set(pa), ...get(c), ...get(j), ...addI, ...set(pc),
    ...rowsLoop(ROWS, blockEnd),
    ...rowsLoop(1, rowEnd),
    ...get(j), ...i32c(GEMM_COLS * 4), ...addI, ...tee(j), ...i32c(N * 4), ...ltU, 0x0d, 0,
    0x0b,
  ];
  return { name: 'gemm', params: [I32, I32, I32, I32, I32], locals: [...Array(8).fill(I32), ...Array(ROWS * 2 + 3).fill(V128)], body };
}

/** Bytes of the panel gemm(...) needs for inner size K. */
export const panelBytes = (K: number): number => K * GEMM_COLS * 4;

let relaxed: boolean | null = null;

function validates(): boolean {
  try {
    return typeof WebAssembly !== 'undefined' && WebAssembly.validate(assemble([gemmFn(1, GEMM_COLS, true)]).buffer as ArrayBuffer);
  } catch {
    return false;
  }
}

/**
 * Whether this engine accepts relaxed SIMD: Chromium since 114, Node from 22; Node 20 has it behind a V8 flag,
 * which is switched on here (it only admits the instructions) so the CLI, the bench and the tests run the
 * same product as the page. Browsers have no `process`, so nothing happens there.
 */
export function relaxedSimdAvailable(): boolean {
  if (relaxed === null) {
    relaxed = validates();
    const v8 = (globalThis as { process?: { getBuiltinModule?(id: string): { setFlagsFromString?(f: string): void } | undefined } })
      .process?.getBuiltinModule?.('node:v8');
    if (!relaxed && v8?.setFlagsFromString) {
      v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
      relaxed = validates();
    }
  }
  return relaxed;
}

const modules = new WeakMap<WebAssembly.Memory, Map<string, GemmFn | null>>();
/** Distinct (K, N) shapes per heap: a training step has a handful; past this, products fall back. */
const MAX_SHAPES = 64;

/**
 * The product for this K and N on `memory` (fma: relaxed_madd where the engine has it, else mul + add), or
 * null where it cannot be built; assembled once per heap and shape.
 */
export function gemmFor(memory: WebAssembly.Memory | null | undefined, K: number, N: number, fma = relaxedSimdAvailable()): GemmFn | null {
  if (!memory || typeof WebAssembly === 'undefined' || N % GEMM_COLS !== 0 || K < 1) return null;
  let byShape = modules.get(memory);
  if (!byShape) modules.set(memory, (byShape = new Map()));
  const key = `${K},${N},${fma}`;
  let fn = byShape.get(key);
  if (fn === undefined) {
    if (byShape.size >= MAX_SHAPES) return null;
    fn = instantiate<{ gemm: GemmFn }>([gemmFn(K, N, fma)], memory)?.gemm ?? null;
    byShape.set(key, fn);
  }
  return fn;
}
