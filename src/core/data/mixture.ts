// A 2D distribution as a finite mixture of isotropic Gaussians. Every 2D dataset is one, so every 2D
// dataset has an exact denoiser (reference section 10) and exact samples for quality metrics.
import type { Rng } from '../rng';

export interface Mixture {
  /** Component means, row-major [K, dim]. */
  means: Float64Array;
  /** Isotropic standard deviation of each component, [K]. */
  stds: Float64Array;
  /** Mixture weights, [K], summing to 1. */
  weights: Float64Array;
  dim: number;
}

export function mixtureSize(m: Mixture): number {
  return m.weights.length;
}

/** Mean and average per-coordinate variance of the mixture (exact, not sampled). */
export function mixtureMoments(m: Mixture): { mean: Float64Array; variance: number } {
  const K = mixtureSize(m);
  const mean = new Float64Array(m.dim);
  for (let k = 0; k < K; k++) for (let j = 0; j < m.dim; j++) mean[j] += m.weights[k] * m.means[k * m.dim + j];
  let variance = 0;
  for (let k = 0; k < K; k++) {
    let sq = 0;
    for (let j = 0; j < m.dim; j++) sq += (m.means[k * m.dim + j] - mean[j]) ** 2;
    variance += m.weights[k] * (m.stds[k] ** 2 + sq / m.dim);
  }
  return { mean, variance };
}

/** Affine map between the data's own coordinates and the normalised ones: xNorm = (x - shift) * scale. */
export interface Normalisation {
  shift: number[];
  scale: number;
}

export function normaliseMixture(m: Mixture, t: Normalisation): Mixture {
  const means = new Float64Array(m.means.length);
  for (let k = 0; k < m.weights.length; k++) {
    for (let j = 0; j < m.dim; j++) means[k * m.dim + j] = (m.means[k * m.dim + j] - t.shift[j]) * t.scale;
  }
  return { dim: m.dim, weights: m.weights, means, stds: m.stds.map((s) => s * t.scale) };
}

/** One isotropic factor so each coordinate has std sigmaData, centred (reference section 11). */
export function normalisationFor(m: Mixture, sigmaData: number): Normalisation {
  const { mean, variance } = mixtureMoments(m);
  return { shift: Array.from(mean), scale: variance > 0 ? sigmaData / Math.sqrt(variance) : 1 };
}

export function denormalise(points: Float32Array, dim: number, t: Normalisation): Float64Array {
  const out = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) out[i] = points[i] / t.scale + t.shift[i % dim];
  return out;
}

function cumulative(weights: Float64Array): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) c[i] = s += weights[i];
  return c;
}

/** n exact samples, row-major [n, dim]. */
export function sampleMixture(m: Mixture, n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n * m.dim);
  const cum = cumulative(m.weights);
  for (let i = 0; i < n; i++) {
    const k = rng.categorical(cum);
    for (let j = 0; j < m.dim; j++) out[i * m.dim + j] = m.means[k * m.dim + j] + m.stds[k] * rng.normal();
  }
  return out;
}

/** Equal-weight mixture of points with one shared std. */
export function pointSetMixture(points: ArrayLike<number>, dim: number, std: number): Mixture {
  const K = Math.floor(points.length / dim);
  return {
    dim,
    means: Float64Array.from({ length: K * dim }, (_, i) => points[i]),
    stds: new Float64Array(K).fill(std),
    weights: new Float64Array(K).fill(1 / K),
  };
}
