// Frechet distance between Gaussians fitted to two feature sets (the FID formula, Heusel et al. 2017):
// ||mu_a - mu_b||^2 + Tr(S_a) + Tr(S_b) - 2 Tr((S_a S_b)^(1/2)). Tr((S_a S_b)^(1/2)) is computed as
// Tr((S_a^(1/2) S_b S_a^(1/2))^(1/2)), a symmetric PSD matrix, so it needs only symmetric eigensolves.
import { matMul, sqrtPsd, symmetricEigen, trace } from '../linalg';

export interface FeatureStats {
  dim: number;
  count: number;
  mean: Float64Array;
  /** Unbiased covariance (divides by count - 1), row-major dim x dim. */
  cov: Float64Array;
}

/** Mean and covariance in float64 of feature vectors (one row per sample). */
export function featureStats(rows: readonly ArrayLike<number>[]): FeatureStats {
  if (rows.length < 2) throw new Error(`need at least 2 feature vectors, got ${rows.length}`);
  const dim = rows[0].length;
  const mean = new Float64Array(dim);
  for (const r of rows) {
    if (r.length !== dim) throw new Error(`feature vectors differ in length: ${r.length} vs ${dim}`);
    for (let i = 0; i < dim; i++) mean[i] += r[i];
  }
  for (let i = 0; i < dim; i++) mean[i] /= rows.length;
  const cov = new Float64Array(dim * dim);
  const d = new Float64Array(dim);
  for (const r of rows) {
    for (let i = 0; i < dim; i++) d[i] = r[i] - mean[i];
    for (let i = 0; i < dim; i++) {
      const di = d[i];
      if (di === 0) continue;
      for (let j = i; j < dim; j++) cov[i * dim + j] += di * d[j];
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const c = cov[i * dim + j] / (rows.length - 1);
      cov[i * dim + j] = c;
      cov[j * dim + i] = c;
    }
  }
  return { dim, count: rows.length, mean, cov };
}

export function frechetFromStats(a: FeatureStats, b: FeatureStats): number {
  if (a.dim !== b.dim) throw new Error(`feature dimensions differ: ${a.dim} vs ${b.dim}`);
  const n = a.dim;
  let meanTerm = 0;
  for (let i = 0; i < n; i++) meanTerm += (a.mean[i] - b.mean[i]) ** 2;
  const rootA = sqrtPsd(a.cov, n);
  const m = matMul(matMul(rootA, b.cov, n), rootA, n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (m[i * n + j] + m[j * n + i]); // symmetrise away rounding
      m[i * n + j] = s;
      m[j * n + i] = s;
    }
  }
  let traceRoot = 0;
  for (const ev of symmetricEigen(m, n).values) traceRoot += Math.sqrt(Math.max(ev, 0));
  return Math.max(meanTerm + trace(a.cov, n) + trace(b.cov, n) - 2 * traceRoot, 0);
}

/** Frechet distance between two sets of feature vectors. */
export function frechetDistance(featsA: readonly ArrayLike<number>[], featsB: readonly ArrayLike<number>[]): number {
  return frechetFromStats(featureStats(featsA), featureStats(featsB));
}
