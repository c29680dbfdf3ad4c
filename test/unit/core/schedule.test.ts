import { describe, expect, it } from 'vitest';
import {
  ctAdaptiveMu, ctAdaptiveN, ictDoublingN, ictStageLength, intervalWeights, karrasSigmasAscending, lognormalIndexProbabilities,
} from '../../../src/core/schedule';
import { erf } from '../../../src/core/mathUtil';
import { DEFAULTS, ICT_PRESET } from '../../../src/core/config';
import { scheduleLength, scheduledN } from '../../../src/core/cm/scheduleState';

const range = { eps: 0.002, T: 80, rho: 7 };

describe('Karras grid (reference section 1)', () => {
  it('matches the golden N = 18 grid to the 6 decimals given', () => {
    const golden = [0.002, 0.007528, 0.022935, 0.059947, 0.139516, 0.296442, 0.585348, 1.088171, 1.92334,
      3.256822, 5.315195, 8.400935, 12.910082, 19.352453, 28.374585, 40.785574, 57.585985, 80];
    const t = karrasSigmasAscending(18, range);
    expect(t.length).toBe(18);
    golden.forEach((g, i) => expect(t[i]).toBeCloseTo(g, 6));
  });

  it('starts at eps and ends at T exactly, ascending', () => {
    const t = karrasSigmasAscending(7, range);
    expect(t[0]).toBe(0.002);
    expect(t[6]).toBe(80);
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThan(t[i - 1]);
  });

  it('rejects N < 2 and non-integers', () => {
    expect(() => karrasSigmasAscending(1, range)).toThrow(/N must be an integer >= 2/);
    expect(() => karrasSigmasAscending(2.5, range)).toThrow(RangeError);
  });
});

describe('CT schedules N(k) and mu(k) (reference section 5)', () => {
  const K = 800_000;
  it('N(k) matches the golden values for s0 = 2, s1 = 150', () => {
    const ks = [0, 1, 1000, 10_000, 100_000, 200_000, 400_000, K];
    const want = [2, 3, 6, 17, 54, 76, 107, 151];
    expect(ks.map((k) => ctAdaptiveN(k, K, 2, 150))).toEqual(want);
  });

  it('the paper variant divides by N(k), the code variant by N(k) - 1', () => {
    const mu0 = 0.9;
    expect(ctAdaptiveMu(2, 2, mu0, 'paper')).toBeCloseTo(0.9, 12); // exp(2 ln 0.9 / 2)
    expect(ctAdaptiveMu(2, 2, mu0, 'code')).toBeCloseTo(0.81, 12); // mu0^2 at k = 0
    expect(ctAdaptiveMu(151, 2, mu0, 'paper')).toBeCloseTo(Math.exp((2 * Math.log(0.9)) / 151), 14);
    expect(ctAdaptiveMu(151, 2, mu0, 'code')).toBeCloseTo(Math.exp((2 * Math.log(0.9)) / 150), 14);
  });

  it('mu0 = 0 gives mu = 0 at every N', () => {
    expect(ctAdaptiveMu(17, 2, 0, 'paper')).toBe(0);
  });
});

describe('iCT curriculum and index distribution (reference section 7)', () => {
  it("K = 400k gives K' = 50k and N = 11, 21, 41, ..., 1281", () => {
    expect(ictStageLength(400_000, 10, 1280)).toBe(50_000);
    const Ns = [0, 50_000, 100_000, 150_000, 200_000, 250_000, 300_000, 350_000, 399_999].map((k) => ictDoublingN(k, 400_000, 10, 1280));
    expect(Ns).toEqual([11, 21, 41, 81, 161, 321, 641, 1281, 1281]);
  });

  it('N = 11 grid and lognormal probabilities match the golden values', () => {
    const t = karrasSigmasAscending(11, range);
    const gridGolden = [0.002, 0.0167, 0.0851, 0.3183, 0.9654, 2.5152, 5.8389, 12.3816, 24.4083, 45.3137, 80];
    gridGolden.forEach((g, i) => expect(t[i]).toBeCloseTo(g, 4));
    const p = lognormalIndexProbabilities(t, -1.1, 2.0);
    const pGolden = [0.0626, 0.1817, 0.2455, 0.2135, 0.1424, 0.0806, 0.0411, 0.0196, 0.0089, 0.0040];
    pGolden.forEach((g, i) => expect(p[i]).toBeCloseTo(g, 4));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('inverse-gap weighting is 1 / (t_{n+1} - t_n)', () => {
    const t = karrasSigmasAscending(5, range);
    const w = intervalWeights(t, 'inverse-gap');
    w.forEach((wi, i) => expect(wi).toBeCloseTo(1 / (t[i + 1] - t[i]), 12));
    expect(Array.from(intervalWeights(t, 'uniform'))).toEqual([1, 1, 1, 1]);
  });
});

describe('erf', () => {
  it('matches known values to 1e-12', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 12);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 12);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 12);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 12);
  });
});

describe('schedule length K follows the step budget', () => {
  const c = { ...DEFAULTS, nSchedule: 'ct-adaptive' as const, s0: 2, s1: 150, steps: 400 };
  it('K = 0 (the default) stretches the curriculum over the run; K > 0 keeps the paper formula', () => {
    expect(DEFAULTS.K).toBe(0);
    expect(scheduleLength({ K: 0, steps: 400 })).toBe(400);
    expect(scheduleLength({ K: 800_000, steps: 400 })).toBe(800_000);
    expect(scheduledN({ ...c, K: 0 }, 0)).toBe(2);
    expect(scheduledN({ ...c, K: 0 }, 400)).toBe(151);
    expect(scheduledN({ ...c, K: 0 }, 100)).toBe(ctAdaptiveN(100, 400, 2, 150));
    expect(scheduledN({ ...c, K: 800_000 }, 1000)).toBe(6); // golden value, unchanged
    const ict = { ...c, nSchedule: 'ict-doubling' as const, s0: 10, s1: 1280, K: 0, steps: 400_000 };
    expect(scheduledN(ict, 50_000)).toBe(21); // golden K' = 50k when the budget is 400k
  });
});

describe('curricula presets for the page budget', () => {
  it('the defaults and the iCT preset run their whole curriculum within the step budget', () => {
    const ct = { ...DEFAULTS, nSchedule: 'ct-adaptive' as const };
    expect(scheduledN(ct, 0)).toBe(2);
    expect(scheduledN(ct, DEFAULTS.steps)).toBe(DEFAULTS.s1 + 1);
    const ict = { ...DEFAULTS, ...ICT_PRESET };
    const Ns = new Set(Array.from({ length: DEFAULTS.steps + 1 }, (_, k) => scheduledN(ict, k)));
    expect([...Ns]).toEqual([11, 21, 41, 81]); // the paper's 1280 would reach N = 1281 within 2,000 steps
  });
});
