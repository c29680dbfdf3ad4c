import { describe, expect, it } from 'vitest';
import { DecimatingSeries, etaSeconds, formatDuration, smoothSeries } from '../../../src/state/series';

describe('DecimatingSeries', () => {
  it('keeps every point until full', () => {
    const s = new DecimatingSeries(8);
    for (let i = 0; i < 8; i++) s.push(i, 10 * i);
    expect(s.length).toBe(8);
    expect(Array.from(s.xs.subarray(0, s.length))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('halves the resolution when full and keeps spanning the whole history', () => {
    const s = new DecimatingSeries(8);
    for (let i = 0; i < 40; i++) s.push(i, i);
    expect(s.length).toBeLessThanOrEqual(8);
    const xs = Array.from(s.xs.subarray(0, s.length));
    expect(xs[0]).toBe(0);
    // Evenly spaced by the current stride, up to the newest kept point.
    const gaps = xs.slice(1).map((x, i) => x - xs[i]);
    expect(new Set(gaps)).toEqual(new Set([s.stride]));
    expect(39 - xs[xs.length - 1]).toBeLessThan(s.stride);
  });

  it('starts over on clear', () => {
    const s = new DecimatingSeries(4);
    for (let i = 0; i < 10; i++) s.push(i, i);
    s.clear();
    s.push(5, 1);
    expect([s.length, s.stride, s.xs[0]]).toEqual([1, 1, 5]);
  });
});

describe('smoothSeries', () => {
  it('is debiased: a constant series smooths to itself', () => {
    expect(Array.from(smoothSeries([2, 2, 2], 3, 0.9))).toEqual([2, 2, 2].map(() => expect.closeTo(2, 12)));
  });

  it('matches the debiased exponential average by hand', () => {
    const out = smoothSeries([1, 3], 2, 0.5);
    expect(out[0]).toBeCloseTo(1, 12);
    // (0.5 * 0.5 * 1 + 0.5 * 3) / (0.5 * 0.5 + 0.5) = 1.75 / 0.75
    expect(out[1]).toBeCloseTo(1.75 / 0.75, 12);
  });

  it('skips non-finite values instead of spreading them', () => {
    const out = smoothSeries([1, Number.NaN, 1], 3, 0.9);
    expect(out[2]).toBeCloseTo(1, 12);
  });
});

describe('ETA', () => {
  it('divides the remaining steps by the speed', () => {
    expect(etaSeconds(100, 1100, 50)).toBe(20);
    expect(etaSeconds(10, 5, 1)).toBe(0);
    expect(etaSeconds(0, 10, 0)).toBeNull();
  });

  it('formats durations for people', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3 * 3600 + 600)).toBe('3 h 10 min');
  });
});
