import { describe, expect, it } from 'vitest';
import {
  denoise, editTimes, EditError, inpaintingProblem, maskPreset, paintedMask, seededEditNoise, superResolutionProblem,
  validateEditTimes, zeroShotEdit, type ConsistencyFn,
} from '../../../src/core/edit/index';

const range = { eps: 0.002, T: 80 };
const identity: ConsistencyFn = (x) => x;
const D = 784;

function edit(over: Partial<Parameters<typeof zeroShotEdit>[0]>) {
  return zeroShotEdit({
    f: identity, dim: D, reference: new Float32Array(D), problem: inpaintingProblem(maskPreset('left-half', 28, 28)),
    times: [80, 1], noise: seededEditNoise([1], 2, D), range, ...over,
  });
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'none';
  } catch (e) {
    expect(e).toBeInstanceOf(EditError);
    return `${(e as EditError).code}: ${(e as Error).message}`;
  }
}

describe('editing rejects bad input with clear messages', () => {
  it('t_1 above T', async () => {
    expect(await codeOf(edit({ times: [100, 1] }))).toBe('bad-times: t_1 = 100 is outside [eps, T] = [0.002, 80]');
  });
  it('t_1 below eps', async () => {
    expect(await codeOf(edit({ times: [0.001], noise: seededEditNoise([1], 1, D) }))).toBe('bad-times: t_1 = 0.001 is outside [eps, T] = [0.002, 80]');
  });
  it('times that do not descend', async () => {
    expect(await codeOf(edit({ times: [5, 5] }))).toMatch(/strictly descending: t_2 = 5 is not below t_1 = 5/);
  });
  it('a non-finite time', () => {
    expect(() => validateEditTimes([80, Number.NaN], range)).toThrow(/t_2 = NaN is outside/);
  });
  it('a mask of the wrong size', async () => {
    expect(await codeOf(edit({ problem: inpaintingProblem(maskPreset('left-half', 14, 14)) }))).toBe('bad-mask: the mask has 196 entries; this data needs 784');
    expect(() => paintedMask(new Float32Array(100), 28, 28)).toThrow('the mask has 100 values; a 28x28 image needs 784');
  });
  it('an empty mask (nothing to generate)', () => {
    expect(() => inpaintingProblem(paintedMask(new Float32Array(784), 28, 28))).toThrow(/mask is empty: nothing to generate/);
  });
  it('a mask with values other than 0 and 1', () => {
    expect(() => inpaintingProblem(Float32Array.of(0.5, 1))).toThrow(/entry 0 is 0.5/);
  });
  it('a reference of the wrong size', async () => {
    expect(await codeOf(edit({ reference: new Float32Array(10) }))).toMatch(/bad-input: the reference has 10 values; expected 784/);
  });
  it('too little noise for the times', async () => {
    expect(await codeOf(edit({ noise: seededEditNoise([1], 1, D) }))).toMatch(/2 times need 2 noise arrays/);
  });
  it('a super-resolution factor that does not divide the image', () => {
    expect(() => superResolutionProblem(28, 28, 3)).toThrow('a 28x28 image does not split into 3x3 patches');
  });
  it('a denoising sigma outside [eps, T]', async () => {
    expect(await codeOf(Promise.resolve().then(() => denoise(identity, new Float32Array(2), 90, 1, range)))).toBe('bad-times: sigma = 90 is outside [eps, T] = [0.002, 80]');
  });
});

describe('default edit times', () => {
  it('descend on a Karras grid from t_1 to just above eps', () => {
    const t = editTimes(80, 5, range);
    expect(t[0]).toBe(80);
    expect(t).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(t[i]).toBeLessThan(t[i - 1]);
    expect(t[4]).toBeGreaterThan(range.eps);
    expect(() => validateEditTimes(t, range)).not.toThrow();
  });
});
