// The training loop's spacing of view snapshots: the page's interval while snapshots are cheap, and never
// more than VIEW_TIME_SHARE of the time on snapshots when they are not.
import { describe, expect, it } from 'vitest';
import { VIEW_TIME_SHARE, snapshotGapMs } from '../../../src/worker/viewBudget';

describe('snapshot spacing', () => {
  it('keeps the asked interval for cheap snapshots', () => {
    expect(snapshotGapMs(100, 0)).toBe(100);
    expect(snapshotGapMs(100, 10)).toBe(100);
  });

  it('caps the share of time spent on snapshots', () => {
    for (const cost of [30, 50, 120, 1300]) {
      const gap = snapshotGapMs(100, cost);
      expect(gap).toBeGreaterThan(100);
      expect(cost / (cost + gap)).toBeCloseTo(VIEW_TIME_SHARE, 12);
    }
  });
});
