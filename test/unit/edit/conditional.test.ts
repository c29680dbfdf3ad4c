// The key check of Algorithm 4: with a perfect model (the exact consistency function of a Gaussian), the
// edited samples follow the true conditional distribution.
import { describe, expect, it } from 'vitest';
import {
  diagonalGaussianConsistencyFn, fixCoordinateProblem2d, fixCoordinateReference2d, lineProjectionProblem2d,
  lineReference2d, seededEditNoise, zeroShotEdit,
} from '../../../src/core/edit/index';

const range = { eps: 0.002, T: 80 };
const COUNT = 4000;
const seeds = Array.from({ length: COUNT }, (_, i) => 1000 + i);

function moments(x: Float32Array, stride: number, offset: number): { mean: number; std: number } {
  let s = 0;
  let s2 = 0;
  const n = x.length / stride;
  for (let b = 0; b < n; b++) s += x[b * stride + offset];
  const mean = s / n;
  for (let b = 0; b < n; b++) s2 += (x[b * stride + offset] - mean) ** 2;
  return { mean, std: Math.sqrt(s2 / (n - 1)) };
}

describe('exact Gaussian consistency function', () => {
  const f = diagonalGaussianConsistencyFn([0.3, -0.4], [0.5, 0.2], range.eps);
  it('satisfies the boundary condition f(x, eps) = x', () => {
    const x = Float32Array.of(1.7, -2.5);
    expect(Array.from(f(x, range.eps, 1) as Float32Array)).toEqual(Array.from(x));
  });
  it('follows the PF-ODE: f(mu + (x - mu), t) = mu + (x - mu) sqrt(s^2 + eps^2) / sqrt(s^2 + t^2)', () => {
    const y = f(Float32Array.of(0.3 + 10, -0.4), 10, 1) as Float32Array;
    expect(y[0]).toBeCloseTo(0.3 + (10 * Math.sqrt(0.25 + 4e-6)) / Math.sqrt(100.25), 5);
    expect(y[1]).toBeCloseTo(-0.4, 6);
  });
});

describe('Algorithm 4 with a perfect model samples the true conditional', () => {
  for (const times of [[80], [80, 1.5, 0.3]]) {
    it(`fixing x_1 = a of N(mu, diag(0.5^2, 0.8^2)) gives x_2 ~ N(mu_2, 0.8^2) (times ${times.join(', ')})`, async () => {
      const mu = [0.3, -0.4];
      const sd = [0.5, 0.8];
      const a = 1.1; // far out in x_1's tail: independence means x_2 must not care
      const r = await zeroShotEdit({
        f: diagonalGaussianConsistencyFn(mu, sd, range.eps), dim: 2, reference: fixCoordinateReference2d(0, a),
        problem: fixCoordinateProblem2d(0), times, noise: seededEditNoise(seeds, times.length, 2), range,
      });
      const x = r.iterates[r.iterates.length - 1];
      for (let b = 0; b < COUNT; b++) expect(x[2 * b]).toBe(Math.fround(a));
      const m = moments(x, 2, 1);
      // standard errors: 0.8 / sqrt(4000) = 0.013 for the mean, 0.009 for the std
      expect(Math.abs(m.mean - mu[1])).toBeLessThan(0.04);
      expect(Math.abs(m.std - sd[1])).toBeLessThan(0.03);
    });
  }

  it('fixing x_2 of N(mu, diag(0.25^2, 0.6^2)) gives x_1 ~ N(mu_1, 0.25^2)', async () => {
    const mu = [-0.6, 0.2];
    const sd = [0.25, 0.6];
    const times = [80, 2, 0.5, 0.1];
    const r = await zeroShotEdit({
      f: diagonalGaussianConsistencyFn(mu, sd, range.eps), dim: 2, reference: fixCoordinateReference2d(1, -0.9),
      problem: fixCoordinateProblem2d(1), times, noise: seededEditNoise(seeds, times.length, 2), range,
    });
    const m = moments(r.iterates[3], 2, 0);
    expect(Math.abs(m.mean - mu[0])).toBeLessThan(0.02);
    expect(Math.abs(m.std - sd[0])).toBeLessThan(0.015);
  });

  it('keeping the projection n . x = c of isotropic N(mu, 0.5^2 I) gives the along-line coordinate N(n_perp . mu, 0.5^2)', async () => {
    const mu = [0.2, 0.5];
    const s = 0.5;
    const angle = Math.PI / 3;
    const times = [80, 1];
    const r = await zeroShotEdit({
      f: diagonalGaussianConsistencyFn(mu, [s, s], range.eps), dim: 2, reference: lineReference2d(angle, 0.9),
      problem: lineProjectionProblem2d(angle), times, noise: seededEditNoise(seeds, times.length, 2), range,
    });
    const x = r.iterates[1];
    const along = new Float32Array(COUNT);
    for (let b = 0; b < COUNT; b++) {
      expect(Math.cos(angle) * x[2 * b] + Math.sin(angle) * x[2 * b + 1]).toBeCloseTo(0.9, 5);
      along[b] = -Math.sin(angle) * x[2 * b] + Math.cos(angle) * x[2 * b + 1];
    }
    const m = moments(along, 1, 0);
    const want = -Math.sin(angle) * mu[0] + Math.cos(angle) * mu[1];
    expect(Math.abs(m.mean - want)).toBeLessThan(0.03);
    expect(Math.abs(m.std - s)).toBeLessThan(0.02);
  });

  it('stroke guidance (no projection) from y at t_1: one step gives mu + (y + t_1 z - mu) sqrt(s^2 + eps^2) / sqrt(s^2 + t_1^2)', async () => {
    const mu = [0, 0];
    const s = 0.5;
    const t1 = 3;
    const noise = seededEditNoise([5], 1, 2);
    const y = Float32Array.of(0.8, -0.2);
    const r = await zeroShotEdit({ f: diagonalGaussianConsistencyFn(mu, [s, s], range.eps), dim: 2, reference: y, problem: null, times: [t1], noise, range });
    const k = Math.sqrt(s * s + range.eps ** 2) / Math.sqrt(s * s + t1 * t1);
    expect(Array.from(r.start)).toEqual(Array.from(y));
    for (const i of [0, 1]) expect(r.iterates[0][i]).toBeCloseTo((y[i] + t1 * noise[0][i]) * k, 5);
  });
});
