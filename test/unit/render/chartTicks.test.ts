// Linear chart axes tick at round values: the schedule chart of a fixed N = 18 read 0, 4.9, 9.7, 14.6, 19.4
// (quarters of 1.08 x the top) for a whole number of steps; now 0, 5, 10, 15, 20.
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/core/config';
import { drawScheduleChart } from '../../../src/render/chartViews';
import { niceStep, yAxis } from '../../../src/render/lineChart';
import { recordingContext, testPalette } from './recordingContext';

describe('chart ticks', () => {
  it('steps are 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([niceStep(18.7), niceStep(65), niceStep(1), niceStep(0.3), niceStep(7000)]).toEqual([5, 20, 0.25, 0.1, 2000]);
  });

  it('a linear axis starts at 0 for positive data, covers the top with a little room, and labels without noise digits', () => {
    const a = yAxis(18, 18, false);
    expect(a.ticks).toEqual([0, 5, 10, 15, 20]);
    expect(a.ticks.map(a.label)).toEqual(['0', '5', '10', '15', '20']);
    const b = yAxis(0.2, 0.9, false);
    expect([b.y0, b.y1]).toEqual([0, 1]);
    expect(b.ticks.map(b.label)).toEqual(['0', '0.25', '0.50', '0.75', '1.00']);
    const c = yAxis(-3, 7, false);
    expect(c.y0).toBeLessThanOrEqual(-3);
    expect(c.y1).toBeGreaterThan(7);
    expect(c.ticks).toContain(0);
  });

  it('log axes keep their decades', () => {
    const a = yAxis(2e-4, 0.03, true);
    expect(a.ticks.map(a.label)).toEqual(['1e-4', '1e-3', '0.01', '0.10']);
  });

  it('the schedule chart of the default CD run (fixed N = 18) labels N at 0, 5, 10, 15, 20', () => {
    const { ctx, texts } = recordingContext();
    drawScheduleChart(ctx, 380, 180, testPalette, { run: { step: 10, N: 18, mu: 0.9 }, config: DEFAULTS, view: {} } as never);
    expect(texts).toEqual(expect.arrayContaining(['0', '5', '10', '15', '20']));
    expect(texts).not.toContain('19.4');
  });
});
