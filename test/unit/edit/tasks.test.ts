import { describe, expect, it } from 'vitest';
import {
  conditionalSample2d, diagonalGaussianConsistencyFn, editImage, maskPreset, normaliseConstraint2d, paintedMask, type ConsistencyFn,
} from '../../../src/core/edit/index';

const range = { eps: 0.002, T: 80 };
const shrink: ConsistencyFn = (x) => Float32Array.from(x, (v) => Math.tanh(0.1 * v));

describe('one-call editing tasks', () => {
  const image = Float32Array.from({ length: 784 }, (_, i) => Math.sin(i / 7));

  it('editImage inpaints a painted region for each seed and keeps the rest', async () => {
    const painted = new Float32Array(784);
    painted.fill(1, 300, 420);
    const r = await editImage({ f: shrink, image, height: 28, width: 28, edit: { kind: 'inpaint', mask: paintedMask(painted, 28, 28) }, seeds: [1, 2, 3], times: [80, 2], range });
    expect(r.batch).toBe(3);
    const x = r.iterates[1];
    for (let b = 0; b < 3; b++) {
      expect(x[b * 784 + 10]).toBe(image[10]);
      expect(x[b * 784 + 350]).not.toBe(image[350]);
    }
  });

  it('editImage refuses a mask for another image size', async () => {
    await expect(editImage({ f: shrink, image, height: 28, width: 28, edit: { kind: 'inpaint', mask: maskPreset('top-half', 14, 14) }, seeds: [1], times: [80], range }))
      .rejects.toThrow('the mask has 196 entries; a 28x28x1 image needs 784');
  });

  it('editImage stroke guidance starts from the drawing itself, without projection', async () => {
    const r = await editImage({ f: shrink, image, height: 28, width: 28, edit: { kind: 'stroke' }, seeds: [4], times: [3, 1], range });
    expect(Array.from(r.start)).toEqual(Array.from(image));
  });

  it('normaliseConstraint2d maps a data-space line to the normalised line with the same direction', () => {
    const t = { shift: [1, -2], scale: 0.5 };
    const angle = 0.4;
    const c = normaliseConstraint2d({ kind: 'line', angle, value: 3 }, t);
    // a data point on the line, normalised, lies on the normalised line
    const p = [3 * Math.cos(angle) - 5 * Math.sin(angle), 3 * Math.sin(angle) + 5 * Math.cos(angle)];
    const q = [(p[0] - 1) * 0.5, (p[1] + 2) * 0.5];
    expect(c.kind === 'line' && Math.cos(angle) * q[0] + Math.sin(angle) * q[1]).toBeCloseTo(c.value, 12);
    expect(normaliseConstraint2d({ kind: 'fix', axis: 1, value: 0 }, t)).toEqual({ kind: 'fix', axis: 1, value: 1 });
  });

  it('conditionalSample2d keeps y = value with a perfect model and samples x from its marginal', async () => {
    const seeds = Array.from({ length: 2000 }, (_, i) => i);
    const r = await conditionalSample2d({ f: diagonalGaussianConsistencyFn([0.5, 0], [0.3, 0.3], range.eps), constraint: { kind: 'fix', axis: 1, value: -0.25 }, seeds, times: [80, 0.8], range });
    const x = r.iterates[1];
    let mean = 0;
    for (let b = 0; b < 2000; b++) {
      expect(x[2 * b + 1]).toBe(-0.25);
      mean += x[2 * b] / 2000;
    }
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.03);
  });
});
