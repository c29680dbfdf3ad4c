// Builds a legacy torch file by hand in the style of Python 2 era checkpoints (the LPIPS lin files),
// to pin down the reader's handling of old-format traps without shipping another binary fixture.

class Pickle {
  private out: number[] = [];
  op(...b: number[]): this { this.out.push(...b); return this; }
  proto(): this { return this.op(0x80, 2); }
  int(n: number): this { return n < 256 ? this.op(0x4b, n) : this.op(0x4a, ...le(n, 4)); }
  long1(v: bigint, n: number): this {
    const b: number[] = [];
    for (let i = 0; i < n; i++) b.push(Number((v >> BigInt(8 * i)) & 0xffn));
    return this.op(0x8a, n, ...b);
  }
  str(s: string): this { const b = [...new TextEncoder().encode(s)]; return this.op(0x55, b.length, ...b); } // SHORT_BINSTRING
  global(module: string, name: string): this { return this.op(0x63, ...ascii(`${module}\n${name}\n`)); }
  mark(): this { return this.op(0x28); }
  tuple(): this { return this.op(0x74); }
  list(): this { return this.op(0x5d); }
  appends(): this { return this.op(0x65); }
  reduce(): this { return this.op(0x52); }
  none(): this { return this.op(0x4e); }
  persid(): this { return this.op(0x51); }
  stop(): number[] { return [...this.out, 0x2e]; }
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const le = (n: number, bytes: number) => Array.from({ length: bytes }, (_, i) => (n >>> (8 * i)) & 0xff);

/** storage pid: ('storage', type, key, 'cuda:0', numel, view) with view = null or (key, offset, size). */
function storage(p: Pickle, type: string, key: string, numel: number, view?: [string, number, number]): Pickle {
  p.mark().str('storage').global('torch', type).str(key).str('cuda:0').int(numel);
  if (view) p.mark().str(view[0]).int(view[1]).int(view[2]).tuple();
  else p.none();
  return p.tuple().persid();
}

function ints(p: Pickle, xs: number[]): Pickle {
  p.mark();
  for (const x of xs) p.int(x);
  return p.tuple();
}

export function legacyPython2File(): Uint8Array {
  const magic = new Pickle().proto().long1(0x1950a86a20f9469cfc6cn, 10).stop();
  const version = new Pickle().proto().op(0x4d, ...le(1001, 2)).stop();
  const sysInfo = new Pickle().proto().op(0x7d).mark().str('little_endian').op(0x88).op(0x75).stop();
  // OrderedDict([[key, tensor], ...]) as Python 2's pickle writes it: REDUCE with one list-of-pairs argument.
  const p = new Pickle().proto().global('collections', 'OrderedDict').mark().list().mark();
  p.list().mark().str('lin0.model.1.weight').global('torch._utils', '_rebuild_tensor').mark();
  storage(p, 'FloatStorage', '100', 3).int(0);
  ints(p, [1, 3, 1, 1]);
  ints(p, [3, 1, 1, 1]).tuple().reduce().appends();
  p.list().mark().str('view.t').global('torch._utils', '_rebuild_tensor').mark();
  storage(p, 'FloatStorage', '200', 8, ['201', 2, 5]).int(1);
  ints(p, [2, 2]);
  ints(p, [1, 2]).tuple().reduce().appends();
  p.list().mark().str('steps').global('torch._utils', '_rebuild_tensor').mark();
  storage(p, 'LongStorage', '300', 2).int(0);
  ints(p, [2]);
  ints(p, [1]).tuple().reduce().appends();
  p.appends().tuple().reduce();
  const stateDict = p.stop();
  const keys = new Pickle().proto().list().mark().str('100').str('200').str('300').appends().stop();

  const raw: number[] = [];
  const f32 = (xs: number[]) => [...new Uint8Array(new Float32Array(xs).buffer)];
  const i64 = (xs: bigint[]) => [...new Uint8Array(new BigInt64Array(xs).buffer)];
  raw.push(...i64([3n]), ...f32([0.5, 0.25, 2]));
  raw.push(...i64([8n]), ...f32([0, 1, 2, 3, 4, 5, 6, 7]));
  raw.push(...i64([2n]), ...i64([9n, -1n]));
  return new Uint8Array([...magic, ...version, ...sysInfo, ...stateDict, ...keys, ...raw]);
}
