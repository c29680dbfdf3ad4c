import { describe, expect, it } from 'vitest';
import {
  blockMeans, helmertBasis, inpaintingProblem, knownPart, lineProjectionProblem2d, lineReference2d, maskPreset,
  patchBasisMap, seededEditNoise, superResolutionProblem, zeroShotEdit, type ConsistencyFn,
} from '../../../src/core/edit/index';
import { Rng } from '../../../src/core/rng';

const range = { eps: 0.002, T: 80 };
const H = 28;
const D = H * H;

/** A digit-like reference in [-1, 1]. */
function reference(seed: number): Float32Array {
  const rng = new Rng(seed, 'ref');
  return Float32Array.from({ length: D }, () => Math.tanh(rng.normal()));
}

/** A stand-in model that changes every value (so a kept value can only survive through R). */
const scrambler: ConsistencyFn = (x, t) => Float32Array.from(x, (v, i) => Math.tanh(0.3 * v + Math.sin((i % D) + t)));

describe('Helmert patch basis', () => {
  for (const n of [4, 16]) {
    it(`is orthonormal (B B^T = I to 1e-12) for n = ${n}`, () => {
      const B = helmertBasis(n);
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += B[a * n + j] * B[b * n + j];
          expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
    });
    it(`has the patch mean direction (1, ..., 1) / sqrt(n) as its first vector for n = ${n}`, () => {
      const B = helmertBasis(n);
      for (let j = 0; j < n; j++) expect(B[j]).toBeCloseTo(1 / Math.sqrt(n), 15);
    });
  }

  it('maps an image to coefficients and back (A^-1 A = I) with coefficient 0 = p x block mean', () => {
    const A = patchBasisMap(H, H, 4);
    const y = reference(3);
    const c = A.apply(y);
    const back = A.inverse(c);
    for (let i = 0; i < D; i++) expect(Math.abs(back[i] - y[i])).toBeLessThan(1e-12);
    const means = blockMeans(y, H, H, 4);
    for (let q = 0; q < 49; q++) expect(c[q * 16]).toBeCloseTo(4 * means[q], 12);
  });
});

describe('Algorithm 4 keeps the known part', () => {
  it('inpainting: every unmasked pixel equals the reference bit for bit, at every step', async () => {
    const y = reference(1);
    const mask = maskPreset('left-half', H, H);
    const times = [80, 10, 1];
    const r = await zeroShotEdit({ f: scrambler, dim: D, reference: y, problem: inpaintingProblem(mask), times, noise: seededEditNoise([1, 2, 3], 3, D), range });
    expect(r.iterates).toHaveLength(3);
    let changed = 0;
    for (const x of r.iterates) {
      for (let b = 0; b < 3; b++) {
        for (let i = 0; i < D; i++) {
          if (mask[i] === 0) expect(Object.is(x[b * D + i], y[i])).toBe(true);
          else if (x[b * D + i] !== y[i]) changed++;
        }
      }
    }
    expect(changed).toBeGreaterThan(3 * 3 * 380); // the left half was regenerated
  });

  it('inpainting: the start y0 is the reference with the masked pixels zeroed', () => {
    const y = reference(2);
    const mask = maskPreset('top-half', H, H);
    const y0 = knownPart(inpaintingProblem(mask), y);
    for (let i = 0; i < D; i++) expect(y0[i]).toBe(mask[i] ? 0 : y[i]);
  });

  for (const p of [2, 4]) {
    it(`super-resolution x${p}: every iterate has the reference's block means (float32 precision)`, async () => {
      const y = reference(4 + p);
      const want = blockMeans(y, H, H, p);
      const r = await zeroShotEdit({ f: scrambler, dim: D, reference: y, problem: superResolutionProblem(H, H, p), times: [80, 5, 0.5], noise: seededEditNoise([7, 8], 3, D), range });
      for (const x of [r.start, ...r.iterates]) {
        const got = blockMeans(x, H, H, p);
        for (let k = 0; k < got.length; k++) expect(Math.abs(got[k] - want[k % want.length])).toBeLessThan(2e-7);
      }
      // the detail is generated: the result is not the blocky start
      let diff = 0;
      for (let i = 0; i < D; i++) diff += Math.abs(r.iterates[2][i] - r.start[i]);
      expect(diff / D).toBeGreaterThan(0.05);
    });
  }

  it('super-resolution: y0 is the blocky image of block means', () => {
    const y = reference(9);
    const y0 = knownPart(superResolutionProblem(H, H, 2), y);
    const m = blockMeans(y, H, H, 2);
    for (let r = 0; r < H; r++) for (let c = 0; c < H; c++) expect(y0[r * H + c]).toBeCloseTo(m[(r >> 1) * 14 + (c >> 1)], 6);
  });

  it('2D projection: every sample lies on the line n . x = value', async () => {
    const angle = 0.7;
    const value = -0.35;
    const r = await zeroShotEdit({
      f: scrambler, dim: 2, reference: lineReference2d(angle, value), problem: lineProjectionProblem2d(angle), times: [80, 2],
      noise: seededEditNoise([...Array(50).keys()], 2, 2), range,
    });
    const x = r.iterates[1];
    for (let b = 0; b < 50; b++) expect(Math.cos(angle) * x[2 * b] + Math.sin(angle) * x[2 * b + 1]).toBeCloseTo(value, 6);
  });

  it('returns one noisy input and one iterate per time, starting at y0 + t_1 z', async () => {
    const y = reference(5);
    const mask = maskPreset('centre-square', H, H);
    const noise = seededEditNoise([4], 2, D);
    const r = await zeroShotEdit({ f: scrambler, dim: D, reference: y, problem: inpaintingProblem(mask), times: [40, 3], noise, range });
    expect(r.times).toEqual([40, 3]);
    expect(r.noisy).toHaveLength(2);
    for (const i of [0, 100, 400]) expect(r.noisy[0][i]).toBeCloseTo(r.start[i] + 40 * noise[0][i], 4);
    const s = Math.sqrt(9 - range.eps ** 2);
    for (const i of [0, 100, 400]) expect(r.noisy[1][i]).toBeCloseTo(r.iterates[0][i] + s * noise[1][i], 4);
  });

  it('a seed gives the same completion alone or in a batch', async () => {
    const y = reference(6);
    const problem = inpaintingProblem(maskPreset('left-half', H, H));
    const one = await zeroShotEdit({ f: scrambler, dim: D, reference: y, problem, times: [80, 1], noise: seededEditNoise([11], 2, D), range });
    const many = await zeroShotEdit({ f: scrambler, dim: D, reference: y, problem, times: [80, 1], noise: seededEditNoise([5, 11], 2, D), range });
    expect(Array.from(many.iterates[1].subarray(D))).toEqual(Array.from(one.iterates[1]));
  });
});
