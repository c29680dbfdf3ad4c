// Pure logic of the page's editing panel: painting on the 28x28 grid, the 2D constraint from a drag,
// the worker request built from the settings, and the steps strip layout.
import { describe, expect, it } from 'vitest';
import { constraintFromDrag, lineInSquare, maxViolation, normalForm } from '../../../src/ui/edit/constraint2d';
import { cellAt, countPainted, paintDisc, paintSegment } from '../../../src/ui/edit/paint';
import { imageEditRequest, inkToSigned, parseT1, planeEditRequest, seedList, type EditInputs } from '../../../src/state/edit/request';
import { describeTimes, formatTime, stripLayout } from '../../../src/ui/edit/strip';
import type { EditReply } from '../../../src/worker/protocol';

const SIDE = 28;

describe('painting on the digit grid', () => {
  it('maps a canvas position to fractional cell coordinates', () => {
    expect(cellAt(0, 0, SIDE)).toEqual([0, 0]);
    expect(cellAt(0.5, 0.25, SIDE)).toEqual([14, 7]);
  });

  it('a disc of radius 1 around a cell centre paints that cell and its 4 neighbours', () => {
    const g = new Uint8Array(SIDE * SIDE);
    expect(paintDisc(g, SIDE, 10.5, 5.5, 1, 1)).toBe(true);
    expect(countPainted(g)).toBe(5);
    for (const [r, c] of [[5, 10], [4, 10], [6, 10], [5, 9], [5, 11]]) expect(g[r * SIDE + c]).toBe(1);
    // Painting the same disc again changes nothing.
    expect(paintDisc(g, SIDE, 10.5, 5.5, 1, 1)).toBe(false);
  });

  it('a disc at the edge stays inside the grid', () => {
    const g = new Uint8Array(SIDE * SIDE);
    paintDisc(g, SIDE, 0, 0, 2, 1);
    expect(countPainted(g)).toBeGreaterThan(0);
    expect(g.length).toBe(SIDE * SIDE);
  });

  it('a fast drag paints a gapless band between its ends', () => {
    const g = new Uint8Array(SIDE * SIDE);
    paintSegment(g, SIDE, [2.5, 14.5], [25.5, 14.5], 0.5, 1);
    for (let c = 2; c <= 25; c++) expect(g[14 * SIDE + c]).toBe(1);
    expect(countPainted(g)).toBe(24);
  });

  it('erasing with value 0 clears what was painted', () => {
    const g = new Uint8Array(SIDE * SIDE);
    paintDisc(g, SIDE, 14, 14, 3, 1);
    paintDisc(g, SIDE, 14, 14, 3, 0);
    expect(countPainted(g)).toBe(0);
  });

  it('ink levels [0, 1] become pixels [-1, 1], clamped', () => {
    expect(Array.from(inkToSigned([0, 0.5, 1, 2, -1]))).toEqual([-1, 0, 1, 1, -1]);
  });
});

describe('the 2D constraint from a drag', () => {
  it('a line through both drag points: both satisfy n . p = value', () => {
    const from: [number, number] = [-1, 0.5];
    const to: [number, number] = [2, 1.5];
    const c = constraintFromDrag('line', from, to);
    expect(c.kind).toBe('line');
    expect(maxViolation(c, [...from, ...to])).toBeLessThan(1e-12);
    // n is the drag direction turned by +90 degrees.
    const { n } = normalForm(c);
    expect(n[0] * 3 + n[1] * 1).toBeCloseTo(0, 12);
    expect(n[1] * 3 - n[0] * 1).toBeGreaterThan(0); // n turned back by -90 degrees is the drag direction
  });

  it('a horizontal drag keeps y; fix modes keep the release point coordinate', () => {
    const c = constraintFromDrag('line', [0, 0.3], [1, 0.3]);
    const { n, value } = normalForm(c);
    expect(n[0]).toBeCloseTo(0, 12);
    expect(Math.abs(n[1])).toBeCloseTo(1, 12);
    expect(n[1] * value).toBeCloseTo(0.3, 12);
    expect(constraintFromDrag('fix-x', [0, 0], [0.7, -2])).toEqual({ kind: 'fix', axis: 0, value: 0.7 });
    expect(constraintFromDrag('fix-y', [0, 0], [0.7, -2])).toEqual({ kind: 'fix', axis: 1, value: -2 });
  });

  it('a click without movement keeps x at the click', () => {
    expect(constraintFromDrag('line', [0.4, 0.1], [0.4, 0.1])).toEqual({ kind: 'fix', axis: 0, value: 0.4 });
  });

  it('measures the largest violation over a point set', () => {
    expect(maxViolation({ kind: 'fix', axis: 1, value: 1 }, [0, 1, 5, 1.25, -3, 0.5])).toBeCloseTo(0.5, 12);
  });

  it('clips the line to the visible square, and misses it when it lies outside', () => {
    const seg = lineInSquare({ kind: 'line', angle: Math.PI / 4, value: 0 }, 2)!;
    expect(seg).not.toBeNull();
    for (const p of seg) {
      expect(Math.max(Math.abs(p[0]), Math.abs(p[1]))).toBeCloseTo(2, 9);
      expect(p[0] + p[1]).toBeCloseTo(0, 9);
    }
    const v = lineInSquare({ kind: 'fix', axis: 0, value: 1 }, 2)!;
    expect(v.map((p) => p[0])).toEqual([1, 1]);
    expect(v.map((p) => p[1]).sort()).toEqual([-2, 2]);
    expect(lineInSquare({ kind: 'fix', axis: 1, value: 3 }, 2)).toBeNull();
  });
});

describe('the request sent to the worker', () => {
  const inputs: EditInputs = {
    task: 'inpaint', digit: 3, mask: new Uint8Array(784).fill(1), stroke: new Float32Array(784), factor: 2, sigma: 0.7,
    seedBase: 10, seedCount: 3, t1Text: '', steps: 4, interpSeeds: [5, 6], interpCount: 7,
  };

  it('seeds are consecutive from the base', () => {
    expect(seedList(10, 3)).toEqual([10, 11, 12]);
    expect(seedList(0, 0)).toEqual([]);
  });

  it('an empty t1 box means the default; anything else goes through as a number, NaN included', () => {
    expect(parseT1('')).toBeUndefined();
    expect(parseT1('  ')).toBeUndefined();
    expect(parseT1('2.5')).toBe(2.5);
    expect(parseT1('abc')).toBeNaN();
  });

  it('inpainting carries a copy of the mask, the digit, seeds and times', () => {
    const r = imageEditRequest(inputs);
    expect(r).toMatchObject({ task: 'inpaint', digit: 3, seeds: [10, 11, 12], t1: undefined, steps: 4 });
    expect(r.mask).not.toBe(inputs.mask);
    expect(r.mask?.length).toBe(784);
  });

  it('each task carries its own inputs', () => {
    expect(imageEditRequest({ ...inputs, task: 'superres', t1Text: '40' })).toMatchObject({ task: 'superres', factor: 2, t1: 40 });
    expect(imageEditRequest({ ...inputs, task: 'denoise' })).toMatchObject({ task: 'denoise', sigma: 0.7, seeds: [10, 11, 12] });
    expect(imageEditRequest({ ...inputs, task: 'interpolate' })).toEqual({ task: 'interpolate', seeds: [5, 6], count: 7 });
    const stroke = imageEditRequest({ ...inputs, task: 'stroke' });
    expect(stroke.task).toBe('stroke');
    expect(stroke.image?.every((v) => v === -1)).toBe(true); // no ink = black background
  });

  it('2D: nothing to send before a line is dragged; then fix or line by the constraint', () => {
    expect(planeEditRequest({ constraint: null, count: 5, t1Text: '', steps: 8 })).toBeNull();
    expect(planeEditRequest({ constraint: { kind: 'fix', axis: 1, value: 0.2 }, count: 3, t1Text: '', steps: 8 }))
      .toMatchObject({ task: 'fix2d', seeds: [0, 1, 2], steps: 8 });
    expect(planeEditRequest({ constraint: { kind: 'line', angle: 1, value: 0.2 }, count: 2, t1Text: '1', steps: 2 }))
      .toMatchObject({ task: 'line2d', t1: 1, constraint: { kind: 'line', angle: 1, value: 0.2 } });
  });
});

describe('the steps strip', () => {
  const dim = 4;
  const reply = (over: Partial<EditReply>): EditReply => ({
    task: 'inpaint', dataShape: [2, 2, 1], batch: 2, reference: null, digit: null,
    start: Float32Array.from({ length: 2 * dim }, (_, i) => i),
    iterates: [Float32Array.from({ length: 2 * dim }, (_, i) => 100 + i), Float32Array.from({ length: 2 * dim }, (_, i) => 200 + i)],
    times: [80, 0.5], result: new Float32Array(2 * dim), ms: 1, ...over,
  });

  it('rows are samples, columns the start and each step with its time', () => {
    const s = stripLayout(reply({}));
    expect(s.rows).toBe(2);
    expect(s.cols).toBe(3);
    expect(s.columnLabels).toEqual(['known y0', 't 80.0', 't 0.50']);
    expect(Array.from(s.tile(1, 0))).toEqual([4, 5, 6, 7]);
    expect(Array.from(s.tile(0, 2))).toEqual([200, 201, 202, 203]);
    expect(stripLayout(reply({}), 1).rows).toBe(1);
  });

  it('the start column is named after the task', () => {
    expect(stripLayout(reply({ task: 'denoise' })).columnLabels[0]).toBe('noisy');
    expect(stripLayout(reply({ task: 'stroke' })).columnLabels[0]).toBe('drawing');
    expect(stripLayout(reply({ task: 'superres' })).columnLabels[0]).toBe('block means');
  });

  it('interpolation is one row along the path, labelled by alpha', () => {
    const r = reply({ task: 'interpolate', batch: 2, alphas: [0, 1], result: Float32Array.from({ length: 2 * dim }, (_, i) => i), iterates: [new Float32Array(8)], times: [80] });
    const s = stripLayout(r);
    expect(s.rows).toBe(1);
    expect(s.columnLabels).toEqual(['α 0.00', 'α 1.00']);
    expect(Array.from(s.tile(0, 1))).toEqual([4, 5, 6, 7]);
  });

  it('formats times compactly', () => {
    expect(formatTime(80)).toBe('80.0');
    expect(formatTime(2.345)).toBe('2.35');
    expect(formatTime(0.002)).toBe('0.0020');
    expect(describeTimes([80, 2, 0.05])).toBe('80.0 → 2.00 → 0.050');
    expect(describeTimes([])).toBe('');
  });
});
