// The palette stays readable for colour-blind viewers: colours drawn together keep a CIELAB distance of at
// least MIN_DELTA_E under simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009), and the
// time ramp keeps its order in lightness. The page's previous palette fails the same check.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readPalette, SERIES_COLOURS, SERIES_VARS, TIME_STOPS, timeColour, type SeriesColours } from '../../../src/render/palette';
import { deltaE, parseColour, simulate, toLab, type Deficiency, type Rgb } from './colourVision';

/** CIE76 units; about 2 is a just-noticeable difference, so 20 keeps small markers and thin lines apart. */
const MIN_DELTA_E = 20;
const VISIONS: (Deficiency | 'normal')[] = ['normal', 'protanopia', 'deuteranopia', 'tritanopia'];

/** Colours that share a view: the 2D sample plot; the quality and schedule charts; the loss chart; the flow-map
 * view (data, learned dots, error segments, exact rings). */
const TOGETHER: (keyof SeriesColours)[][] = [['data', 'oneStep', 'multistep'], ['oneStep', 'multistep', 'teacher', 'floor'], ['loss', 'smoothed'], ['data', 'oneStep', 'multistep', 'teacher']];

const css = readFileSync(resolve(__dirname, '../../../src/styles/app.css'), 'utf8');
function canvasBackground(theme: 'light' | 'dark'): Rgb {
  const block = theme === 'light' ? /:root\s*\{([^}]*)\}/.exec(css)![1] : /:root\[data-theme='dark'\]\s*\{([^}]*)\}/.exec(css)![1];
  return parseColour(/--canvas-bg:\s*([^;]+);/.exec(block)![1]);
}

function closestPairs(colours: SeriesColours, bg: Rgb): { pair: string; vision: string; delta: number }[] {
  const found: { pair: string; vision: string; delta: number }[] = [];
  for (const vision of VISIONS) {
    const seen = (name: keyof SeriesColours) => simulate(parseColour(colours[name], bg), vision);
    for (const group of TOGETHER) {
      for (let i = 0; i < group.length; i++) {
        found.push({ pair: `${group[i]} / background`, vision, delta: deltaE(seen(group[i]), simulate(bg, vision)) });
        for (let j = i + 1; j < group.length; j++) found.push({ pair: `${group[i]} / ${group[j]}`, vision, delta: deltaE(seen(group[i]), seen(group[j])) });
      }
    }
  }
  return found.sort((a, b) => a.delta - b.delta);
}

describe('colour-blind-safe palette', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`${theme}: series drawn together stay apart under every simulated deficiency`, () => {
      const worst = closestPairs(SERIES_COLOURS[theme], canvasBackground(theme))[0];
      expect(worst.delta, `${worst.pair} under ${worst.vision}`).toBeGreaterThanOrEqual(MIN_DELTA_E);
    });
  }

  it('rejects the previous palette (multistep pink and teacher green merge under deuteranopia)', () => {
    const previous: SeriesColours = {
      data: 'rgba(100, 116, 139, 0.45)', dataStrong: '#475569', oneStep: '#2563eb', multistep: '#db2777', teacher: '#059669',
      floor: '#94a3b8', loss: 'rgba(37, 99, 235, 0.35)', smoothed: '#1d4ed8',
    };
    const worst = closestPairs(previous, canvasBackground('light'))[0];
    expect(worst).toMatchObject({ pair: 'multistep / teacher', vision: 'deuteranopia' });
    expect(worst.delta).toBeLessThan(5);
  });

  it('the time ramp (t = eps to T) darkens steadily under normal vision and every deficiency', () => {
    expect(TIME_STOPS.length).toBeGreaterThanOrEqual(3);
    const ts = Array.from({ length: 41 }, (_, i) => 0.002 * (80 / 0.002) ** (i / 40));
    for (const vision of VISIONS) {
      const lightness = ts.map((t) => toLab(simulate(parseColour(timeColour(t, 0.002, 80)), vision))[0]);
      for (let i = 1; i < lightness.length; i++) expect(lightness[i], `${vision} at t = ${ts[i]}`).toBeLessThan(lightness[i - 1]);
      expect(lightness[0] - lightness[lightness.length - 1]).toBeGreaterThan(50);
    }
  });

  it('a canvas reads every series colour but dataStrong from the same CSS property theme.ts writes', () => {
    const props: Record<string, string> = { '--canvas-bg': '#fff', '--fg': '#111', '--muted': '#666', '--grid': '#eee', '--accent': '#00f' };
    for (const [k, v] of Object.entries(SERIES_VARS)) props[v] = SERIES_COLOURS.light[k as keyof SeriesColours];
    vi.stubGlobal('getComputedStyle', () => ({ getPropertyValue: (name: string) => props[name] ?? '' }));
    try {
      const p = readPalette({} as Element);
      for (const k of ['data', 'oneStep', 'multistep', 'teacher', 'floor', 'loss', 'smoothed'] as const) expect(p[k], k).toBe(SERIES_COLOURS.light[k]);
      expect([p.background, p.foreground, p.muted, p.grid, p.accent]).toEqual(['#fff', '#111', '#666', '#eee', '#00f']);
      expect('dataStrong' in p).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
