// The loops behind the fused GroupNorm + modulation + SiLU kernels (groupNormSilu.ts). x is [B, P, C] (P
// pixels, channels innermost), groups of C / G adjacent channels, a and b are [Ba, C] with Ba 1 (shared
// affine) or B (per sample). Per sample, the heavy work is five row passes (per-channel sums, squared
// deviations, z = x A[c] + Bc[c]; backward: dz with its channel sums, dx = dz P[c] + x Q[c] + R[c]), which run
// as WebAssembly SIMD on wasm (simdGroupNorm.ts) and as the JavaScript loops below elsewhere; the per-group
// statistics and per-channel coefficients between them are computed here in float64 from C-float vectors.
import { simdGroupNorm } from './simdGroupNorm';

export interface GnShape {
  B: number;
  P: number;
  C: number;
  G: number;
  /** Rows of a and b: 1 or B. */
  Ba: number;
}

/** One sample's row passes; `off` is the sample's first element, vectors are C floats. */
export interface GnPasses {
  colSums(x: Float32Array, off: number, P: number, acc: Float32Array): void;
  colSqDev(x: Float32Array, off: number, P: number, m: Float32Array, acc: Float32Array): void;
  rowAffine(x: Float32Array, out: Float32Array, off: number, P: number, A: Float32Array, Bc: Float32Array): void;
  /** dz = dy silu'(z); sdz[c] = sum of dz, sdzx[c] = sum of dz (x - m[c]) (centred: no cancellation later). */
  dz(dy: Float32Array, x: Float32Array, z: Float32Array, s: Float32Array, dz: Float32Array, off: number, P: number, m: Float32Array, sdz: Float32Array, sdzx: Float32Array): void;
  rowAffine2(dz: Float32Array, x: Float32Array, dx: Float32Array, off: number, P: number, Pc: Float32Array, Qc: Float32Array, Rc: Float32Array): void;
}

export const jsPasses: GnPasses = {
  colSums(x, off, P, acc) {
    const C = acc.length;
    acc.fill(0);
    for (let p = 0; p < P; p++) for (let c = 0, o = off + p * C; c < C; c++) acc[c] += x[o + c];
  },
  colSqDev(x, off, P, m, acc) {
    const C = acc.length;
    acc.fill(0);
    for (let p = 0; p < P; p++) {
      for (let c = 0, o = off + p * C; c < C; c++) {
        const d = x[o + c] - m[c];
        acc[c] += d * d;
      }
    }
  },
  rowAffine(x, out, off, P, A, Bc) {
    const C = A.length;
    for (let p = 0; p < P; p++) for (let c = 0, o = off + p * C; c < C; c++) out[o + c] = x[o + c] * A[c] + Bc[c];
  },
  dz(dy, x, z, s, dz, off, P, m, sdz, sdzx) {
    const C = sdz.length;
    sdz.fill(0);
    sdzx.fill(0);
    for (let p = 0; p < P; p++) {
      for (let c = 0, o = off + p * C; c < C; c++) {
        const i = o + c;
        const sv = s[i];
        const d = dy[i] * sv * (1 + z[i] * (1 - sv)); // silu'(z) = s (1 + z (1 - s))
        dz[i] = d;
        sdz[c] += d;
        sdzx[c] += d * (x[i] - m[c]);
      }
    }
  },
  rowAffine2(dz, x, dx, off, P, Pc, Qc, Rc) {
    const C = Pc.length;
    for (let p = 0; p < P; p++) for (let c = 0, o = off + p * C; c < C; c++) dx[o + c] = dz[o + c] * Pc[c] + x[o + c] * Qc[c] + Rc[c];
  },
};

let simdOn = true;
/** For the bench: the JavaScript passes on wasm too (both paths from one process, alternating). */
export function setGroupNormSimd(on: boolean): void {
  simdOn = on;
}

/** The SIMD passes on wasm's heap when `memory` is the backend's and C is a multiple of 4, else the JS ones. */
export function gnPasses(memory: WebAssembly.Memory | null, C: number): GnPasses {
  const ops = simdOn && C % 4 === 0 ? simdGroupNorm(memory) : null;
  if (!ops) return jsPasses;
  const at = (t: Float32Array, off = 0) => t.byteOffset + 4 * off;
  return {
    colSums: (x, off, P, acc) => ops.colSums(at(x, off), at(acc), P, C),
    colSqDev: (x, off, P, m, acc) => ops.colSqDev(at(x, off), at(m), at(acc), P, C),
    rowAffine: (x, out, off, P, A, Bc) => ops.rowAffine(at(x, off), at(out, off), at(A), at(Bc), P, C),
    dz: (dy, x, z, s, dz, off, P, m, sdz, sdzx) => ops.gnDz(at(dy, off), at(x, off), at(z, off), at(s, off), at(dz, off), at(m), at(sdz), at(sdzx), P, C),
    rowAffine2: (dz, x, dx, off, P, Pc, Qc, Rc) => ops.rowAffine2(at(dz, off), at(x, off), at(dx, off), at(Pc), at(Qc), at(Rc), P, C),
  };
}

/** Scratch vectors of C floats the kernels need (on the heap for the SIMD passes). */
export const FORWARD_SCRATCH = 3;
export const BACKWARD_SCRATCH = 6;

/** Forward: stats [B, G, 2] (mean, rstd; biased variance as tf.moments and PyTorch) and z = GN(x) a + b. */
export function gnForward(ps: GnPasses, x: Float32Array, a: Float32Array, bias: Float32Array, z: Float32Array, stats: Float32Array,
  scratch: Float32Array, s: GnShape, eps: number): void {
  const { B, P, C, G } = s;
  const cg = C / G;
  const n = P * cg;
  const [v0, v1, v2] = [0, 1, 2].map((k) => scratch.subarray(k * C, (k + 1) * C));
  const groupSums = (v: Float32Array) => Float64Array.from({ length: G }, (_, g) => {
    let t = 0;
    for (let c = g * cg; c < (g + 1) * cg; c++) t += v[c];
    return t;
  });
  for (let b = 0; b < B; b++) {
    const off = b * P * C;
    ps.colSums(x, off, P, v0);
    const mean = groupSums(v0).map((t) => t / n);
    for (let c = 0; c < C; c++) v1[c] = mean[(c / cg) | 0];
    ps.colSqDev(x, off, P, v1, v2);
    const rstd = groupSums(v2).map((t) => 1 / Math.sqrt(t / n + eps));
    const row = s.Ba === 1 ? 0 : b * C;
    for (let g = 0; g < G; g++) {
      stats[2 * (b * G + g)] = mean[g];
      stats[2 * (b * G + g) + 1] = rstd[g];
    }
    for (let c = 0; c < C; c++) {
      const g = (c / cg) | 0;
      const ac = rstd[g] * a[row + c];
      v0[c] = ac;
      v1[c] = bias[row + c] - mean[g] * ac;
    }
    ps.rowAffine(x, z, off, P, v0, v1);
  }
}

/**
 * Backward: dx, and da, db ([Ba, C], summed over samples when shared), from dxhat = dz a and
 * dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) over each group: per channel dx = dz P + x Q + R.
 */
export function gnBackward(ps: GnPasses, dy: Float32Array, x: Float32Array, z: Float32Array, sg: Float32Array, stats: Float32Array,
  a: Float32Array, dx: Float32Array, da: Float32Array, db: Float32Array, scratch: Float32Array, s: GnShape): void {
  const { B, P, C, G } = s;
  const cg = C / G;
  const n = P * cg;
  const [sdz, sdzx, Pc, Qc, Rc, m] = [0, 1, 2, 3, 4, 5].map((k) => scratch.subarray(k * C, (k + 1) * C));
  da.fill(0);
  db.fill(0);
  for (let b = 0; b < B; b++) {
    const off = b * P * C;
    for (let c = 0; c < C; c++) m[c] = stats[2 * (b * G + ((c / cg) | 0))];
    ps.dz(dy, x, z, sg, dx, off, P, m, sdz, sdzx);
    const row = s.Ba === 1 ? 0 : b * C;
    for (let g = 0; g < G; g++) {
      const mean = stats[2 * (b * G + g)];
      const rstd = stats[2 * (b * G + g) + 1];
      let m1 = 0; // sum of dxhat over the group
      let m2 = 0; // sum of dxhat xhat
      for (let c = g * cg; c < (g + 1) * cg; c++) {
        const ac = a[row + c];
        const sx = rstd * sdzx[c]; // sum of dz xhat
        da[row + c] += sx;
        db[row + c] += sdz[c];
        m1 += ac * sdz[c];
        m2 += ac * sx;
      }
      m1 /= n;
      m2 /= n;
      const q = -rstd * rstd * m2;
      const r = rstd * (mean * rstd * m2 - m1);
      for (let c = g * cg; c < (g + 1) * cg; c++) {
        Pc[c] = rstd * a[row + c];
        Qc[c] = q;
        Rc[c] = r;
      }
    }
    ps.rowAffine2(dx, x, dx, off, P, Pc, Qc, Rc);
  }
}
