import { describe, expect, it } from 'vitest';
import { CheckpointRing } from '../../../src/state/teach/checkpointRing';
import { DecimatingSeries } from '../../../src/state/series';

const entry = (step: number) => ({ step, bytes: new ArrayBuffer(1), quality: null });

describe('checkpoint ring for Rewind', () => {
  it('keeps the initialisation and the newest, and spreads the rest over the run when full', () => {
    const ring = new CheckpointRing(5);
    for (let s = 0; s <= 1000; s += 100) ring.add(entry(s));
    const steps = ring.entries.map((e) => e.step);
    expect(steps.length).toBe(5);
    expect(steps[0]).toBe(0);
    expect(steps[4]).toBe(1000);
    const gaps = steps.slice(1).map((s, i) => s - steps[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * Math.min(...gaps) + 100);
  });

  it('keeps step order (a verified checkpoint may arrive late), replaces the same step, and drops an abandoned future', () => {
    const ring = new CheckpointRing(10);
    [0, 50, 100, 150, 120].forEach((s) => ring.add(entry(s)));
    ring.add({ step: 100, bytes: new ArrayBuffer(2), quality: null });
    expect(ring.entries.map((e) => e.step)).toEqual([0, 50, 100, 120, 150]);
    expect(ring.find(100)?.bytes.byteLength).toBe(2);
    ring.dropAfter(100);
    expect(ring.entries.map((e) => e.step)).toEqual([0, 50, 100]);
    ring.dropAfter(50);
    expect(ring.entries.map((e) => e.step)).toEqual([0, 50]);
    expect(ring.find(100)).toBeNull();
  });

  it('curves are truncated at the rewound step', () => {
    const s = new DecimatingSeries(8);
    for (let i = 1; i <= 6; i++) s.push(i * 10, i);
    s.truncateAfter(35);
    expect(Array.from(s.xs.slice(0, s.length))).toEqual([10, 20, 30]);
    s.push(40, 9);
    expect(s.length).toBe(4);
  });
});
