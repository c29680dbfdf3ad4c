// Colours come from CSS custom properties, so canvases follow the light/dark theme of the page.
export interface Palette {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  data: string;
  oneStep: string;
  multistep: string;
  teacher: string;
  floor: string;
  loss: string;
  smoothed: string;
  accent: string;
  font: string;
}

const VARS: Record<Exclude<keyof Palette, 'font'>, string> = {
  background: '--canvas-bg',
  foreground: '--fg',
  muted: '--muted',
  grid: '--grid',
  data: '--c-data',
  oneStep: '--c-one',
  multistep: '--c-multi',
  teacher: '--c-teacher',
  floor: '--c-floor',
  loss: '--c-loss',
  smoothed: '--c-smooth',
  accent: '--accent',
};

export function readPalette(root: Element = document.documentElement): Palette {
  const style = getComputedStyle(root);
  const out = { font: '11px system-ui, sans-serif' } as Palette;
  for (const [name, v] of Object.entries(VARS) as [Exclude<keyof Palette, 'font'>, string][]) {
    out[name] = style.getPropertyValue(v).trim() || '#888';
  }
  return out;
}

// Plasma-like stops from clean (t = eps, yellow) to noisy (t = T, deep purple): ordered and colour-blind safe.
const STOPS: [number, number, number][] = [[240, 249, 33], [252, 166, 54], [225, 100, 98], [177, 42, 144], [106, 0, 168], [13, 8, 135]];

/** Colour of noise level t on a log scale from eps to T. */
export function timeColour(t: number, eps: number, T: number, alpha = 1): string {
  const u = Math.min(1, Math.max(0, Math.log(t / eps) / Math.log(T / eps))) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(u));
  const f = u - i;
  const [r, g, b] = STOPS[i].map((c, j) => Math.round(c + f * (STOPS[i + 1][j] - c)));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
