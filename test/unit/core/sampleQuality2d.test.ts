import { describe, expect, it } from 'vitest';
import { energyDistance, slicedWasserstein } from '../../../src/core/metrics/sampleQuality2d';
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

  it('compares samples of different sizes through their quantiles', () => {
    const b = new Rng(2).normals(500);
    expect(slicedWasserstein(a, b, 2)).toBeLessThan(0.1);
  });
});
