import { describe, expect, it } from 'vitest';
import { evenAlphas, interpolate, seededLatent, slerp, type ConsistencyFn } from '../../../src/core/edit/index';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const angle = (a: Float32Array, b: Float32Array) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i] * b[i];
  return Math.acos(Math.max(-1, Math.min(1, d / (norm(a) * norm(b)))));
};

describe('slerp between Gaussian latents', () => {
  const z0 = seededLatent(1, 784);
  const z1 = seededLatent(2, 784);

  it('returns the two latents at alpha = 0 and alpha = 1', () => {
    const a = slerp(z0, z1, 0);
    const b = slerp(z0, z1, 1);
    for (let i = 0; i < 784; i++) {
      expect(a[i]).toBeCloseTo(z0[i], 5);
      expect(b[i]).toBeCloseTo(z1[i], 5);
    }
  });

  it('keeps the norm of two equal-norm vectors along the whole path', () => {
    const u = Float32Array.from(z1, (v) => (v * norm(z0)) / norm(z1));
    for (const alpha of evenAlphas(9)) expect(norm(slerp(z0, u, alpha)) / norm(z0)).toBeCloseTo(1, 5);
  });

  it('moves the angle from z0 linearly in alpha for two equal-norm vectors (and stays between them)', () => {
    const u = Float32Array.from(z1, (v) => (v * norm(z0)) / norm(z1));
    const theta = angle(z0, u);
    expect(theta).toBeGreaterThan(1.3); // independent 784-d Gaussians are nearly orthogonal
    for (const alpha of [0.1, 0.25, 0.5, 0.8]) {
      const z = slerp(z0, u, alpha);
      expect(angle(z0, z)).toBeCloseTo(alpha * theta, 4);
      expect(angle(z, u)).toBeCloseTo((1 - alpha) * theta, 4);
    }
  });

  it('gives the midpoint of orthogonal latents of norms 1 and 3 the norm sqrt((1 + 9) / 2)', () => {
    // slerp at 1/2 of orthogonal z0, z1 is (z0 + z1) sin(pi/4).
    const a = Float32Array.of(1, 0);
    const b = Float32Array.of(0, 3);
    expect(norm(slerp(a, b, 0.5))).toBeCloseTo(Math.sqrt(5), 6);
  });

  it('maps each slerped latent through one call f(T z_alpha, T)', async () => {
    const calls: number[][] = [];
    const f: ConsistencyFn = (x, t, batch) => {
      calls.push([t, batch]);
      return Float32Array.from(x, (v) => v / t);
    };
    const r = await interpolate(f, z0, z1, evenAlphas(5), 80);
    expect(calls).toEqual([[80, 5]]);
    expect(r.alphas).toEqual([0, 0.25, 0.5, 0.75, 1]);
    for (let i = 0; i < 784; i++) expect(r.samples[4 * 784 + i]).toBeCloseTo(z1[i], 4);
  });

  it('rejects latents of different lengths and opposite latents', () => {
    expect(() => slerp(z0, z1.subarray(1), 0.5)).toThrow(/differ in length/);
    expect(() => slerp(Float32Array.of(1, 0), Float32Array.of(-2, 0), 0.5)).toThrow(/opposite/);
  });
});
