// The WebAssembly assembler behind the runtime-built modules (simdOps.ts, simdGemm.ts, simdGroupNorm.ts, ...):
// readable opcode helpers, one module format (one imported memory, functions exported by name), and a loader
// that binds a module to a heap once. No build step, no binary blob.

export const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
// Instructions (a: local index).
export const get = (a: number) => [0x20, ...uleb(a)];
export const set = (a: number) => [0x21, ...uleb(a)];
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
};
/** i32.const (signed LEB128, so any 32-bit value). */
export const i32c = (v: number) => [0x41, ...sleb(v)];
export const tee = (a: number) => [0x22, ...uleb(a)];
export const add = [0x6a];
export const mul = [0x6c];
export const shl = [0x74];
export const geU = [0x4f];
export const simd = (op: number) => [0xfd, ...uleb(op)];
/** v128.load / v128.store (align=1) with a constant byte offset added to the address. */
export const loadAt = (offset: number) => [...simd(0x00), 0, ...uleb(offset)];
export const storeAt = (offset: number) => [...simd(0x0b), 0, ...uleb(offset)];
export const load = loadAt(0);
export const store = storeAt(0);
export const splat = simd(0x13);
export const [fsqrt, fadd, fsub, fmul, fdiv] = [0xe3, 0xe4, 0xe5, 0xe6, 0xe7].map(simd);
export const at = (ptr: number, o: number) => [...get(ptr), ...get(o), ...add];

/** for (o = 0; o < n * 4; o += step) { body } with o in local `o`, the bound in local `end`. */
export function loop(n: number, o: number, end: number, step: number, body: number[]): number[] {
  return [
    ...get(n), ...i32c(2), ...shl, ...set(end), ...i32c(0), ...set(o),
    0x02, 0x40, 0x03, 0x40,
    ...get(o), ...get(end), ...geU, 0x0d, 1,
    ...body,
    ...get(o), ...i32c(step), ...add, ...set(o),
    0x0c, 0, 0x0b, 0x0b,
  ];
}

export interface Fn {
  name: string;
  params: number[];
  locals: number[];
  body: number[];
}

/** A shared memory import must declare a maximum no smaller than the memory's: wasm32's whole 4 GiB. */
export const MAX_PAGES = 65536;

/** `shared`: import a shared memory (the threaded wasm build's heap is a SharedArrayBuffer). */
export function assemble(fns: Fn[], shared = false): Uint8Array {
  const types = fns.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0]);
  const limits = shared ? [0x03, 0x00, ...uleb(MAX_PAGES)] : [0x00, 0x00];
  const imports = [[...vec([..."env"].map((c) => [c.charCodeAt(0)])), ...vec([..."memory"].map((c) => [c.charCodeAt(0)])), 0x02, ...limits]];
  const funcs = fns.map((_, i) => uleb(i));
  const exports = fns.map((f, i) => [...vec([...f.name].map((c) => [c.charCodeAt(0)])), 0x00, ...uleb(i)]);
  const codes = fns.map((f) => {
    const locals = vec(f.locals.map((t) => [1, t]));
    const body = [...locals, ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)), ...section(2, vec(imports)), ...section(3, vec(funcs)),
    ...section(7, vec(exports)), ...section(10, vec(codes)),
  ]);
}

/** The exports of `fns` assembled against `memory` (shared or not, as its buffer is), or null where that fails. */
export function instantiate<T>(fns: Fn[], memory: WebAssembly.Memory): T | null {
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = assemble(fns, shared);
    return new WebAssembly.Instance(new WebAssembly.Module(bytes.buffer as ArrayBuffer), { env: { memory } }).exports as unknown as T;
  } catch {
    return null;
  }
}

/**
 * A loader for a module of `build()`'s functions bound to a heap: assembled and instantiated once per memory,
 * null where WebAssembly (or an instruction it uses) is unavailable, so callers fall back to JavaScript loops.
 */
export function heapModule<T>(build: () => Fn[]): (memory: WebAssembly.Memory | null | undefined) => T | null {
  const cache = new WeakMap<WebAssembly.Memory, T | null>();
  return (memory) => {
    if (!memory || typeof WebAssembly === 'undefined') return null;
    let ops = cache.get(memory);
    if (ops === undefined) cache.set(memory, (ops = instantiate<T>(build(), memory)));
    return ops;
  };
}

