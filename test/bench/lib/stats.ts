// Small statistics and timing for benchmark numbers: robust centre (median), spread, a least-squares slope, timed runs.

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
}

/** Least-squares slope of y against x (units of y per unit of x). */
export function slope(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    num += (x[i] - mx) * (y[i] - my);
    den += (x[i] - mx) ** 2;
  }
  return den > 0 ? num / den : Number.NaN;
}

export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Number of timed repetitions behind the median (after warm-up). */
  steps: number;
}

export function summarise(times: readonly number[]): Timing {
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), steps: times.length };
}

export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Runs `run` `warmup` times untimed (their durations are returned apart), then up to `repeats` timed times,
 * stopping early once `minTimed` runs are done and `budgetMs` has passed. Shared by Node and the bench worker.
 */
export async function timeRuns(
  run: () => Promise<unknown>, warmup: number, repeats: number, budgetMs: number, minTimed = 1,
): Promise<{ times: number[]; warmupMs: number[] }> {
  const warmupMs: number[] = [];
  for (let i = 0; i < warmup; i++) {
    const t0 = performance.now();
    await run();
    warmupMs.push(performance.now() - t0);
  }
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
    if (times.length >= minTimed && performance.now() - start > budgetMs) break;
  }
  return { times, warmupMs };
}

