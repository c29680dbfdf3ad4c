import { describe, expect, it } from 'vitest';
import { frechetDistance, frechetFromStats, type FeatureStats } from '../../../src/core/metrics/frechet';
import { matMul, sqrtPsd, symmetricEigen } from '../../../src/core/linalg';
import { Rng } from '../../../src/core/rng';

const stats = (mean: number[], cov: number[]): FeatureStats => ({
  dim: mean.length, count: 1000, mean: Float64Array.from(mean), cov: Float64Array.from(cov),
});

describe('symmetric eigen-decomposition (Jacobi)', () => {
  it('finds eigenvalues 1 and 3 of [[2, 1], [1, 2]]', () => {
    const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(Array.from(values).sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
  });

  it('reconstructs a random 20x20 covariance from V diag(values) V^T and its square root', () => {
    const n = 20;
    const rng = new Rng(5);
    const g = rng.normals(n * n);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += g[i * n + k] * g[j * n + k];
    const { values, vectors } = symmetricEigen(a, n);
    const root = sqrtPsd(a, n);
    const back = matMul(root, root, n);
    for (let i = 0; i < n * n; i++) {
      let r = 0;
      for (let k = 0; k < n; k++) r += vectors[Math.floor(i / n) * n + k] * values[k] * vectors[(i % n) * n + k];
      expect(r).toBeCloseTo(a[i], 9);
      expect(back[i]).toBeCloseTo(a[i], 9);
    }
  });
});

describe('Frechet distance', () => {
  it('is (m_a - m_b)^2 + (s_a - s_b)^2 for diagonal Gaussians', () => {
    const fd = frechetFromStats(stats([1, 0], [4, 0, 0, 1]), stats([0, 0], [1, 0, 0, 9]));
    expect(fd).toBeCloseTo(1 + (2 - 1) ** 2 + (1 - 3) ** 2, 12);
  });

  it('matches the closed form for non-commuting covariances', () => {
    // A = diag(4, 1), B = [[2, 1], [1, 2]]: A^1/2 B A^1/2 = [[8, 2], [2, 2]] has eigenvalues 5 +- sqrt(13)
    const fd = frechetFromStats(stats([0, 0], [4, 0, 0, 1]), stats([0, 0], [2, 1, 1, 2]));
    const expected = 5 + 4 - 2 * (Math.sqrt(5 + Math.sqrt(13)) + Math.sqrt(5 - Math.sqrt(13)));
    expect(fd).toBeCloseTo(expected, 12);
  });

  it('is near zero for two samples of one Gaussian and grows with a mean shift', () => {
    const rng = new Rng(7);
    const draw = (shift: number) => Array.from({ length: 4000 }, () => Float64Array.from({ length: 4 }, () => rng.normal() + shift));
    const same = frechetDistance(draw(0), draw(0));
    expect(same).toBeLessThan(0.02);
    expect(frechetDistance(draw(0), draw(1))).toBeCloseTo(4, 0);
  });
});
