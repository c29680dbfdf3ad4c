// The flow-map view's error colours: ordered in lightness under normal vision and every simulated
// deficiency, distinct from the time ramp's far end, and every cell label readable (WCAG AA, 4.5:1).
import { describe, expect, it } from 'vitest';
import { contrastRatio, ERROR_MAX, ERROR_MIN, errorColour, errorPosition, labelRgb, rampRgb } from '../../../src/render/errorScale';
import { parseColour, simulate, toLab, type Deficiency } from './colourVision';

const VISIONS: (Deficiency | 'normal')[] = ['normal', 'protanopia', 'deuteranopia', 'tritanopia'];
const errors = Array.from({ length: 61 }, (_, i) => ERROR_MIN * (ERROR_MAX / ERROR_MIN) ** (i / 60));

describe('flow-map error colour scale', () => {
  it('maps errors to [0, 1] on a log scale and clamps outside it', () => {
    expect(errorPosition(ERROR_MIN)).toBe(0);
    expect(errorPosition(0)).toBe(0);
    expect(errorPosition(ERROR_MAX)).toBeCloseTo(1, 12);
    expect(errorPosition(1e6)).toBe(1);
    expect(errorPosition(Number.NaN)).toBe(1); // a diverged model reads as the worst, never as perfect
    expect(errorPosition(0.1)).toBeCloseTo(Math.log(10) / Math.log(300), 12);
  });

  it('darkens steadily with the error under normal vision and every deficiency', () => {
    for (const vision of VISIONS) {
      const L = errors.map((e) => toLab(simulate(parseColour(errorColour(e)), vision))[0]);
      for (let i = 1; i < L.length; i++) expect(L[i], `${vision} at ${errors[i]}`).toBeLessThan(L[i - 1]);
      expect(L[0] - L[L.length - 1]).toBeGreaterThan(60);
    }
  });

  it('every cell label has at least 4.5:1 contrast against its cell', () => {
    for (const e of errors) expect(contrastRatio(labelRgb(e), rampRgb(errorPosition(e))), `error ${e}`).toBeGreaterThanOrEqual(4.5);
  });
});
