// One coordinate system for all methods (few-step-methods.md section 1): each method's time converts to
// EDM sigma and back, with the sheet's golden values.
import { describe, expect, it } from 'vitest';
import { edmTime, fmTime, shortcutTime, trigFlowTime } from '../../../src/core/methods/timeConventions';

describe('time conventions to and from EDM sigma', () => {
  it('TrigFlow t = arctan(sigma / sigma_d), x_sigma = x_t / cos t (golden values)', () => {
    const tc = trigFlowTime(0.5);
    [[0.002, 0.003999979], [0.5, 0.785398163], [1, 1.107148718], [80, 1.564546408]].forEach(([s, t]) => {
      expect(tc.timeOf(s)).toBeCloseTo(t, 8);
      expect(tc.sigmaOf(t)).toBeCloseTo(s, 5);
    });
    expect(1 / tc.edmScale(tc.timeOf(80))).toBeCloseTo(0.006249878, 8);
    expect(tc.sigmaOf(1.1)).toBeCloseTo(0.98238, 5);
  });

  it('MeanFlow / FM t = sigma / (1 + sigma) (golden values) and x_sigma = z_t / (1 - t)', () => {
    expect(fmTime.timeOf(0.002)).toBeCloseTo(0.001996008, 9);
    expect(fmTime.timeOf(1)).toBe(0.5);
    expect(fmTime.timeOf(80)).toBeCloseTo(80 / 81, 12);
    expect(fmTime.timeOf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(fmTime.sigmaOf(0.5)).toBe(1);
    expect(fmTime.edmScale(0.5)).toBe(2);
  });

  it('shortcut t = 1 / (1 + sigma): t = 1 is data, t = 0 noise', () => {
    expect(shortcutTime.timeOf(0)).toBe(1);
    expect(shortcutTime.timeOf(Number.POSITIVE_INFINITY)).toBe(0);
    expect(shortcutTime.timeOf(1)).toBe(0.5);
    for (const s of [0.002, 0.7, 80]) expect(shortcutTime.sigmaOf(shortcutTime.timeOf(s))).toBeCloseTo(s, 9);
    expect(shortcutTime.edmScale(0.25)).toBe(4);
  });

  it('the same noisy point in every convention is the same EDM point', () => {
    // x_sigma = x0 + sigma n for x0 = 0.3, n = -1.1, sigma = 1.7.
    const x0 = 0.3; const n = -1.1; const sigma = 1.7;
    const xs = x0 + sigma * n;
    const tf_ = fmTime.timeOf(sigma); // z_t = (1 - t) x0 + t n, and z_t / (1 - t) = x0 + sigma n
    expect(((1 - tf_) * x0 + tf_ * n) * fmTime.edmScale(tf_)).toBeCloseTo(xs, 12);
    const ts = shortcutTime.timeOf(sigma);
    expect((ts * x0 + (1 - ts) * n) * shortcutTime.edmScale(ts)).toBeCloseTo(xs, 12);
    expect(edmTime.timeOf(sigma) * n + x0).toBeCloseTo(xs, 12);
  });
});
