// Seeded random streams. Every source of randomness in a run draws from its own named stream, so the
// same seed gives the same data, initial weights, training noise and sampling noise on every backend
// (noise is drawn in JavaScript and uploaded, never from a backend's own random ops).

/** Mixes a 32-bit integer (the hash of lpips.md, also good as a seed scrambler). */
export function hash32(x: number): number {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** sfc32: small, fast, passes PractRand to 2^40; state is four uint32 words. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: number, stream = '') {
    const s = hash32((seed >>> 0) ^ hashString(stream));
    this.a = hash32(s ^ 0x9e3779b9);
    this.b = hash32(s ^ 0x243f6a88);
    this.c = hash32(s ^ 0xb7e15162);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller, both values used). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  fillNormal(out: Float32Array, scale = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal() * scale;
    return out;
  }

  normals(n: number, scale = 1): Float32Array {
    return this.fillNormal(new Float32Array(n), scale);
  }

  /** Index drawn from unnormalised non-negative weights (cumulative table given). */
  categorical(cumulative: Float64Array): number {
    const u = this.uniform() * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Snapshot of the generator state, for checkpoints that resume bit for bit. */
  getState(): number[] {
    return [this.a, this.b, this.c, this.d, this.spareNormal ?? Number.NaN];
  }

  setState(s: readonly number[]): void {
    [this.a, this.b, this.c, this.d] = s;
    this.spareNormal = Number.isNaN(s[4]) ? null : s[4];
  }
}

/** The four independent streams of a run (architecture.md: data / init / training noise / sampling noise). */
export interface RunStreams {
  data: Rng;
  init: Rng;
  train: Rng;
  sample: Rng;
}

export function runStreams(seed: number): RunStreams {
  return {
    data: new Rng(seed, 'data'),
    init: new Rng(seed, 'init'),
    train: new Rng(seed, 'train'),
    sample: new Rng(seed, 'sample'),
  };
}
