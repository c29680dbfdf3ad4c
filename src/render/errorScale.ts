// The colour scale of the flow-map view: RMS error / sigma_data on a log scale from ERROR_MIN to ERROR_MAX,
// light (small error) to dark (large). A yellow-orange-brown ramp, so it is not mistaken for the plasma time
// ramp of the other views; its lightness falls steadily, so it reads in grey and under every colour-vision
// deficiency, and each cell's label takes the text colour with the higher contrast (test/unit/render).
export const ERROR_MIN = 0.01;
export const ERROR_MAX = 3;
export const ERROR_TICKS = [0.01, 0.1, 1];
export const ERROR_STOPS: [number, number, number][] = [[255, 247, 188], [254, 196, 79], [236, 112, 20], [166, 54, 3], [84, 39, 9]];

/** Position of an error on the scale, 0 (ERROR_MIN or less) to 1 (ERROR_MAX or more). */
export function errorPosition(e: number): number {
  if (!(e > ERROR_MIN)) return Number.isNaN(e) ? 1 : 0;
  return Math.min(1, Math.log(e / ERROR_MIN) / Math.log(ERROR_MAX / ERROR_MIN));
}

export function rampRgb(u: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, u)) * (ERROR_STOPS.length - 1);
  const i = Math.min(ERROR_STOPS.length - 2, Math.floor(x));
  const f = x - i;
  return ERROR_STOPS[i].map((c, j) => Math.round(c + f * (ERROR_STOPS[i + 1][j] - c))) as [number, number, number];
}

export const errorColour = (e: number) => `rgb(${rampRgb(errorPosition(e)).join(', ')})`;

/** WCAG relative luminance of an sRGB colour (0-255 channels). */
export function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export const contrastRatio = (a: readonly number[], b: readonly number[]) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

// Pure black: with #111 a mid-ramp cell could reach only 4.35:1 with either text colour.
const DARK_TEXT: [number, number, number] = [0, 0, 0];
const LIGHT_TEXT: [number, number, number] = [255, 255, 255];

/** The label colour for a cell of this error: black or white, whichever contrasts more. */
export function labelRgb(e: number): [number, number, number] {
  const bg = rampRgb(errorPosition(e));
  return contrastRatio(bg, DARK_TEXT) >= contrastRatio(bg, LIGHT_TEXT) ? DARK_TEXT : LIGHT_TEXT;
}

export const labelColour = (e: number) => `rgb(${labelRgb(e).join(', ')})`;
