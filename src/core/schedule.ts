// Discretisation and curricula (reference sections 1, 5 and 7). Everything in float64.
import { erf } from './mathUtil';

export interface NoiseRange {
  eps: number;
  T: number;
  rho: number;
}

/** Karras grid t_1 = eps < ... < t_N = T (section 1), ascending, N points. */
export function karrasSigmasAscending(N: number, { eps, T, rho }: NoiseRange): Float64Array {
  if (!Number.isInteger(N) || N < 2) throw new RangeError(`N must be an integer >= 2 (got ${N})`);
  const lo = eps ** (1 / rho);
  const hi = T ** (1 / rho);
  const t = new Float64Array(N);
  for (let i = 0; i < N; i++) t[i] = (lo + (i / (N - 1)) * (hi - lo)) ** rho;
  t[0] = eps; // exact endpoints: the boundary condition relies on t_1 == eps bit for bit
  t[N - 1] = T;
  return t;
}

/** Consistency-training discretisation curriculum N(k) (section 5). K = total iterations. */
export function ctAdaptiveN(k: number, K: number, s0: number, s1: number): number {
  const frac = K > 0 ? Math.min(k / K, 1) : 1;
  return Math.ceil(Math.sqrt(frac * ((s1 + 1) ** 2 - s0 ** 2) + s0 ** 2) - 1) + 1;
}

export type MuVariant = 'paper' | 'code';

/**
 * Target EMA decay mu(k) = exp(s0 ln(mu0) / N(k)) (paper); the released code divides by N(k) - 1,
 * so mu = mu0^2 at k = 0 with s0 = 2.
 */
export function ctAdaptiveMu(N: number, s0: number, mu0: number, variant: MuVariant): number {
  if (mu0 === 0) return 0;
  const denom = variant === 'paper' ? N : N - 1;
  return Math.exp((s0 * Math.log(mu0)) / denom);
}

/** iCT stage length K' = floor(K / (log2 floor(s1/s0) + 1)) (section 7). */
export function ictStageLength(K: number, s0: number, s1: number): number {
  return Math.floor(K / (Math.log2(Math.floor(s1 / s0)) + 1));
}

/** iCT doubling curriculum N(k) = min(s0 2^floor(k/K'), s1) + 1. */
export function ictDoublingN(k: number, K: number, s0: number, s1: number): number {
  const stage = Math.max(1, ictStageLength(K, s0, s1));
  return Math.min(s0 * 2 ** Math.floor(k / stage), s1) + 1;
}

/**
 * iCT lognormal choice of the interval index: p(i) proportional to
 * erf((ln t_{i+1} - Pm)/(sqrt2 Ps)) - erf((ln t_i - Pm)/(sqrt2 Ps)), over the N - 1 intervals.
 */
export function lognormalIndexProbabilities(sigmasAscending: Float64Array, Pm: number, Ps: number): Float64Array {
  const n = sigmasAscending.length - 1;
  const p = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const a = erf((Math.log(sigmasAscending[i]) - Pm) / (Math.SQRT2 * Ps));
    const b = erf((Math.log(sigmasAscending[i + 1]) - Pm) / (Math.SQRT2 * Ps));
    p[i] = Math.max(b - a, 0);
    total += p[i];
  }
  for (let i = 0; i < n; i++) p[i] /= total;
  return p;
}

/** Per-interval loss weights lambda(t_i): 1 (paper) or 1 / (t_{i+1} - t_i) (iCT). */
export function intervalWeights(sigmasAscending: Float64Array, kind: 'uniform' | 'inverse-gap'): Float64Array {
  const n = sigmasAscending.length - 1;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = kind === 'uniform' ? 1 : 1 / (sigmasAscending[i + 1] - sigmasAscending[i]);
  return w;
}
