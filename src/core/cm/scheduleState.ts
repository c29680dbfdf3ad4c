// What the schedules say at iteration k: N(k), mu(k), the grid, and the interval distribution and weights.
import type { Config } from '../config';
import {
  ctAdaptiveMu, ctAdaptiveN, ictDoublingN, intervalWeights, karrasSigmasAscending, lognormalIndexProbabilities,
} from '../schedule';

export interface ScheduleAt {
  N: number;
  mu: number;
  sigmas: Float64Array;
  /** Cumulative probabilities of the N - 1 intervals (for sampling n). */
  cumulative: Float64Array;
  /** lambda(t_n) per interval. */
  weights: Float64Array;
}

type ScheduleConfig = Pick<Config, 'nSchedule' | 'N' | 'mu' | 's0' | 's1' | 'mu0' | 'muVariant' | 'K' | 'steps' | 'weighting' | 'indexSampling' | 'Pm' | 'Ps' | 'eps' | 'T' | 'rho'>;

/** The curricula's length K; K = 0 means the run's step budget, so a short run gets the whole curriculum. */
export function scheduleLength(c: Pick<Config, 'K' | 'steps'>): number {
  return c.K > 0 ? c.K : c.steps;
}

export function scheduledN(c: ScheduleConfig, k: number): number {
  if (c.nSchedule === 'ct-adaptive') return ctAdaptiveN(k, scheduleLength(c), c.s0, c.s1);
  if (c.nSchedule === 'ict-doubling') return ictDoublingN(k, scheduleLength(c), c.s0, c.s1);
  return c.N;
}

export function scheduledMu(c: ScheduleConfig, N: number): number {
  return c.nSchedule === 'ct-adaptive' ? ctAdaptiveMu(N, c.s0, c.mu0, c.muVariant) : c.mu;
}

/** Caches per N, since N changes rarely. */
export class ScheduleCache {
  private cache = new Map<number, Omit<ScheduleAt, 'mu'>>();

  constructor(private readonly c: ScheduleConfig) {}

  at(k: number): ScheduleAt {
    const N = scheduledN(this.c, k);
    let entry = this.cache.get(N);
    if (!entry) {
      const sigmas = karrasSigmasAscending(N, this.c);
      const probs = this.c.indexSampling === 'lognormal'
        ? lognormalIndexProbabilities(sigmas, this.c.Pm, this.c.Ps)
        : new Float64Array(N - 1).fill(1 / (N - 1));
      const cumulative = new Float64Array(N - 1);
      let s = 0;
      probs.forEach((p, i) => (cumulative[i] = s += p));
      entry = { N, sigmas, cumulative, weights: intervalWeights(sigmas, this.c.weighting) };
      this.cache.set(N, entry);
    }
    return { ...entry, mu: scheduledMu(this.c, N) };
  }
}
