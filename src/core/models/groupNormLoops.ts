// The loops behind the fused GroupNorm + modulation (+ SiLU) kernels (groupNormSilu.ts), on plain
// Float32Arrays: x is [B, P, C] (P pixels, channels innermost), groups of C / G adjacent channels, a and b are
// [Ba, C] with Ba 1 (shared affine) or B (per sample). Statistics and per-channel coefficients are computed in
// float64 and rounded once, so results are within float32 rounding of the plain op chain. The elementwise
// passes reduce to z = x A[c] + Bc[c] (forward) and dx = dz P[c] + x Q[c] + R[c] (backward), which is what the
// SIMD versions (simdOps.ts) run on wasm.

export interface GnShape {
  B: number;
  P: number;
  C: number;
  G: number;
  /** Rows of a and b: 1 or B. */
  Ba: number;
}

/** Per sample and group: [mean, rstd] into stats [B, G, 2] (biased variance, as tf.moments and PyTorch). */
export function gnStats(x: Float32Array, stats: Float32Array, s: GnShape, eps: number): void {
  const { B, P, C, G } = s;
  const cg = C / G;
  const n = P * cg;
  const sum = new Float64Array(G);
  for (let b = 0; b < B; b++) {
    const base = b * P * C;
    sum.fill(0);
    for (let p = 0; p < P; p++) {
      const o = base + p * C;
      for (let g = 0; g < G; g++) {
        let acc = 0;
        for (let k = g * cg, e = k + cg; k < e; k++) acc += x[o + k];
        sum[g] += acc;
      }
    }
    const mean = Float64Array.from(sum, (v) => v / n);
    sum.fill(0);
    for (let p = 0; p < P; p++) {
      const o = base + p * C;
      for (let g = 0; g < G; g++) {
        const m = mean[g];
        let acc = 0;
        for (let k = g * cg, e = k + cg; k < e; k++) {
          const d = x[o + k] - m;
          acc += d * d;
        }
        sum[g] += acc;
      }
    }
    for (let g = 0; g < G; g++) {
      stats[2 * (b * G + g)] = mean[g];
      stats[2 * (b * G + g) + 1] = 1 / Math.sqrt(sum[g] / n + eps);
    }
  }
}

/** Forward coefficients of sample b: z = x A[c] + Bc[c] with A = rstd a, Bc = b - mean rstd a. */
export function gnForwardCoefs(stats: Float32Array, a: Float32Array, bias: Float32Array, s: GnShape, b: number, A: Float32Array, Bc: Float32Array): void {
  const { C, G } = s;
  const cg = C / G;
  const row = s.Ba === 1 ? 0 : b * C;
  for (let c = 0; c < C; c++) {
    const g = (c / cg) | 0;
    const mean = stats[2 * (b * G + g)];
    const rstd = stats[2 * (b * G + g) + 1];
    const ac = rstd * a[row + c];
    A[c] = ac;
    Bc[c] = bias[row + c] - mean * ac;
  }
}

/** out[p, c] = x[p, c] A[c] + Bc[c] over P rows of C (one sample). */
export function rowAffine(x: Float32Array, out: Float32Array, off: number, P: number, A: Float32Array, Bc: Float32Array): void {
  const C = A.length;
  for (let p = 0; p < P; p++) {
    const o = off + p * C;
    for (let c = 0; c < C; c++) out[o + c] = x[o + c] * A[c] + Bc[c];
  }
}

/**
 * Backward, first pass of one sample: dz = dy silu'(z) (sg = sigmoid(z); silu' = sg (1 + z (1 - sg))) written
 * into dz; per-channel sums of dz and of dz x added into sdz, sdzx (float64).
 */
export function gnDz(dy: Float32Array, x: Float32Array, z: Float32Array, sg: Float32Array, dz: Float32Array,
  off: number, P: number, C: number, sdz: Float64Array, sdzx: Float64Array): void {
  for (let p = 0; p < P; p++) {
    const o = off + p * C;
    for (let c = 0; c < C; c++) {
      const i = o + c;
      const sv = sg[i];
      const d = dy[i] * sv * (1 + z[i] * (1 - sv));
      dz[i] = d;
      sdz[c] += d;
      sdzx[c] += d * x[i];
    }
  }
}

/**
 * From one sample's channel sums: da, db (added into rows of [Ba, C]) and the dx coefficients
 * dx = dz P[c] + x Q[c] + R[c], from dxhat = dz a and dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)).
 */
export function gnBackwardCoefs(stats: Float32Array, a: Float32Array, s: GnShape, b: number, sdz: Float64Array, sdzx: Float64Array,
  da: Float32Array, db: Float32Array, Pc: Float32Array, Qc: Float32Array, Rc: Float32Array): void {
  const { P, C, G } = s;
  const cg = C / G;
  const n = P * cg;
  const row = s.Ba === 1 ? 0 : b * C;
  for (let g = 0; g < G; g++) {
    const mean = stats[2 * (b * G + g)];
    const rstd = stats[2 * (b * G + g) + 1];
    let m1 = 0; // sum of dxhat
    let m2 = 0; // sum of dxhat xhat
    for (let c = g * cg; c < (g + 1) * cg; c++) {
      const ac = a[row + c];
      const sx = rstd * (sdzx[c] - mean * sdz[c]); // sum dz xhat
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
}

/** dx[p, c] = dz[p, c] P[c] + x[p, c] Q[c] + R[c] over P rows of C (one sample); dx may alias dz. */
export function rowAffine2(dz: Float32Array, x: Float32Array, dx: Float32Array, off: number, P: number, Pc: Float32Array, Qc: Float32Array, Rc: Float32Array): void {
  const C = Pc.length;
  for (let p = 0; p < P; p++) {
    const o = off + p * C;
    for (let c = 0; c < C; c++) dx[o + c] = dz[o + c] * Pc[c] + x[o + c] * Qc[c] + Rc[c];
  }
}
