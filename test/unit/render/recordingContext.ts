// A stand-in 2D canvas context for Node: records every fillText, measures 6 px per character, ignores the rest.
import type { Palette } from '../../../src/render/palette';

export function recordingContext(): { ctx: CanvasRenderingContext2D; texts: string[] } {
  const texts: string[] = [];
  const ctx = new Proxy({}, {
    get: (_t, key) => (key === 'fillText' ? (s: string) => texts.push(s) : key === 'measureText' ? (s: string) => ({ width: 6 * s.length }) : () => undefined),
    set: () => true,
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, texts };
}

export const testPalette = { font: '11px sans-serif' } as Palette;
