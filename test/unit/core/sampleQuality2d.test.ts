import { describe, expect, it } from 'vitest';
import { energyDistance, selfDistance, slicedWasserstein } from '../../../src/core/metrics/sampleQuality2d';
import { Rng } from '../../../src/core/rng';

describe('sample quality in 2D', () => {
  const rng = new Rng(1);
  const a = rng.normals(2000);
  it('is zero for identical samples', () => {
    expect(slicedWasserstein(a, a, 2)).toBe(0);
    expect(energyDistance(a, a, 2)).toBeCloseTo(0, 12);
  });

  it('equals |shift| E|cos theta| = 2 |shift| / pi for a shifted copy', () => {
    const shifted = a.map((v, i) => (i % 2 === 0 ? v + 1 : v));
    expect(slicedWasserstein(a, shifted, 2, 256)).toBeCloseTo(2 / Math.PI, 3);
  });

  it('grows with the mismatch and is infinite for non-finite samples', () => {
    const wider = a.map((v) => v * 1.5);
    const widest = a.map((v) => v * 3);
    expect(slicedWasserstein(a, widest, 2)).toBeGreaterThan(slicedWasserstein(a, wider, 2));
    expect(energyDistance(a, widest, 2)).toBeGreaterThan(energyDistance(a, wider, 2));
    const broken = a.slice();
    broken[5] = Number.NaN;
    expect(slicedWasserstein(a, broken, 2)).toBe(Number.POSITIVE_INFINITY);
  });

  it('E|X - X\'| over each pair once equals the all-pairs mean; a given reference term changes nothing', () => {
    const x = new Rng(3).normals(2 * 300);
    const allPairs = (n: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += Math.hypot(x[2 * i] - x[2 * j], x[2 * i + 1] - x[2 * j + 1]);
      return s / n ** 2;
    };
    expect(selfDistance(x, 2)).toBeCloseTo(allPairs(300), 12);
    expect(selfDistance(x, 2, 100)).toBeCloseTo(allPairs(100), 12); // the cap keeps the first 100 points
    expect(Math.abs(allPairs(100) - allPairs(300))).toBeGreaterThan(1e-3);
    const y = x.map((v) => v * 2);
    expect(energyDistance(x, y, 2, 1000, selfDistance(y, 2))).toBeCloseTo(energyDistance(x, y, 2), 12);
    expect(energyDistance(x, y, 2)).toBeGreaterThan(0.1);
  });

  it('compares samples of different sizes through their quantiles', () => {
    const b = new Rng(2).normals(500);
    expect(slicedWasserstein(a, b, 2)).toBeLessThan(0.1);
  });
});
