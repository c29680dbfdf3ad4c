// Colours come from CSS custom properties, so canvases follow the light/dark theme of the page. The series
// colours are defined here (theme.ts writes them into those properties): Okabe & Ito's colour-blind-safe
// set, with a dark magenta / pale lilac for the teacher line. test/unit/render/palette.test.ts simulates
// protanopia, deuteranopia and tritanopia and requires every pair shown together to stay apart.
/** What a canvas draws with: the page's colours and every series colour but dataStrong (the CSS's own). */
export interface Palette extends Omit<SeriesColours, 'dataStrong'> {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  accent: string;
  font: string;
}

/** The colours of data and series, per theme. `data` is translucent (dense clouds stay readable). */
export interface SeriesColours {
  data: string;
  dataStrong: string;
  oneStep: string;
  multistep: string;
  teacher: string;
  floor: string;
  loss: string;
  smoothed: string;
}

export const SERIES_COLOURS: Record<'light' | 'dark', SeriesColours> = {
  light: {
    data: 'rgba(100, 116, 139, 0.45)', dataStrong: '#475569',
    oneStep: '#0072b2', multistep: '#d55e00', teacher: '#8e0152', floor: '#94a3b8',
    loss: 'rgba(0, 114, 178, 0.35)', smoothed: '#004c77',
  },
  dark: {
    data: 'rgba(148, 163, 184, 0.4)', dataStrong: '#cbd5e1',
    oneStep: '#56b4e9', multistep: '#e69f00', teacher: '#e7d4e8', floor: '#64748b',
    loss: 'rgba(86, 180, 233, 0.35)', smoothed: '#a6dcf7',
  },
};

/** The CSS custom property of each series colour. */
export const SERIES_VARS: Record<keyof SeriesColours, string> = {
  data: '--c-data', dataStrong: '--c-data-strong', oneStep: '--c-one', multistep: '--c-multi', teacher: '--c-teacher',
  floor: '--c-floor', loss: '--c-loss', smoothed: '--c-smooth',
};

const { dataStrong: _cssOnly, ...CANVAS_SERIES_VARS } = SERIES_VARS;
const VARS: Record<Exclude<keyof Palette, 'font'>, string> = {
  background: '--canvas-bg',
  foreground: '--fg',
  muted: '--muted',
  grid: '--grid',
  accent: '--accent',
  ...CANVAS_SERIES_VARS,
};

export function readPalette(root: Element = document.documentElement): Palette {
  const style = getComputedStyle(root);
  const out = { font: '11px system-ui, sans-serif' } as Palette;
  for (const [name, v] of Object.entries(VARS) as [Exclude<keyof Palette, 'font'>, string][]) {
    out[name] = style.getPropertyValue(v).trim() || '#888';
  }
  return out;
}

// Plasma-like stops from clean (t = eps, yellow) to noisy (t = T, deep purple): lightness falls steadily,
// so the order reads in grey and under every colour-vision deficiency (checked in palette.test.ts).
export const TIME_STOPS: [number, number, number][] = [[240, 249, 33], [252, 166, 54], [225, 100, 98], [177, 42, 144], [106, 0, 168], [13, 8, 135]];

/** Colour of noise level t on a log scale from eps to T. */
export function timeColour(t: number, eps: number, T: number, alpha = 1): string {
  const u = Math.min(1, Math.max(0, Math.log(t / eps) / Math.log(T / eps))) * (TIME_STOPS.length - 1);
  const i = Math.min(TIME_STOPS.length - 2, Math.floor(u));
  const f = u - i;
  const [r, g, b] = TIME_STOPS[i].map((c, j) => Math.round(c + f * (TIME_STOPS[i + 1][j] - c)));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
