// A square frame mapping normalised 2D coordinates to canvas pixels, and the primitives drawn in it.
import type { Palette } from './palette';

export interface Frame {
  /** Pixel rectangle. */
  x: number;
  y: number;
  size: number;
  /** World half-extent: the frame shows [-extent, extent]^2. */
  extent: number;
}

export function squareFrame(x: number, y: number, w: number, h: number, extent: number, pad = 8): Frame {
  const size = Math.max(1, Math.min(w, h) - 2 * pad);
  return { x: x + (w - size) / 2, y: y + (h - size) / 2, size, extent };
}

export const px = (f: Frame, wx: number) => f.x + ((wx + f.extent) / (2 * f.extent)) * f.size;
export const py = (f: Frame, wy: number) => f.y + ((f.extent - wy) / (2 * f.extent)) * f.size;

export function drawFrame(ctx: CanvasRenderingContext2D, f: Frame, pal: Palette, label?: string): void {
  ctx.save();
  ctx.strokeStyle = pal.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(f.x + 0.5, f.y + 0.5, f.size - 1, f.size - 1);
  // Axes through the origin: the data are centred there.
  ctx.setLineDash([3, 4]);
  ctx.beginPath();
  ctx.moveTo(px(f, 0), f.y);
  ctx.lineTo(px(f, 0), f.y + f.size);
  ctx.moveTo(f.x, py(f, 0));
  ctx.lineTo(f.x + f.size, py(f, 0));
  ctx.stroke();
  ctx.restore();
  if (label) {
    ctx.fillStyle = pal.muted;
    ctx.font = pal.font;
    ctx.textBaseline = 'top';
    ctx.fillText(label, f.x + 6, f.y + 5);
  }
}

export function clipTo(ctx: CanvasRenderingContext2D, f: Frame): void {
  ctx.beginPath();
  ctx.rect(f.x, f.y, f.size, f.size);
  ctx.clip();
}

/** Points stored row-major [n, 2]. Drawn as small squares: fast for thousands of points. */
export function drawPoints(ctx: CanvasRenderingContext2D, f: Frame, pts: ArrayLike<number>, colour: string, radius = 1.6): void {
  ctx.fillStyle = colour;
  const d = 2 * radius;
  for (let i = 0; i + 1 < pts.length; i += 2) {
    const x = px(f, pts[i]);
    const y = py(f, pts[i + 1]);
    if (Number.isFinite(x) && Number.isFinite(y)) ctx.fillRect(x - radius, y - radius, d, d);
  }
}

export function drawArrow(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number, head = 5): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.hypot(dx, dy);
  if (!(len > 0.5)) return;
  const ux = dx / len;
  const uy = dy / len;
  const h = Math.min(head, len * 0.5);
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - h * ux + h * 0.5 * uy, y1 - h * uy - h * 0.5 * ux);
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - h * ux - h * 0.5 * uy, y1 - h * uy + h * 0.5 * ux);
  ctx.stroke();
}

export function clear(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette): void {
  ctx.fillStyle = pal.background;
  ctx.fillRect(0, 0, w, h);
}

export function legend(ctx: CanvasRenderingContext2D, items: { colour: string; label: string }[], x: number, y: number, pal: Palette): void {
  ctx.font = pal.font;
  ctx.textBaseline = 'middle';
  // A veil of the background under the entries: trajectories and arrows would otherwise cross the text.
  const width = 12 + Math.max(0, ...items.map((it) => ctx.measureText(it.label).width));
  ctx.save();
  ctx.globalAlpha = 0.8;
  ctx.fillStyle = pal.background;
  ctx.fillRect(x - 4, y - 8, width + 8, 15 * items.length + 1);
  ctx.restore();
  let cy = y;
  for (const it of items) {
    ctx.fillStyle = it.colour;
    ctx.fillRect(x, cy - 4, 8, 8);
    ctx.fillStyle = pal.foreground;
    ctx.fillText(it.label, x + 12, cy);
    cy += 15;
  }
}

/** A centred note, wrapped at word boundaries to the canvas width (a long line would be cut off). */
export function message(ctx: CanvasRenderingContext2D, w: number, h: number, text: string, pal: Palette): void {
  ctx.fillStyle = pal.muted;
  ctx.font = '13px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const lines = wrapWords(text, Math.max(40, w - 24), (s) => ctx.measureText(s).width);
  const lineHeight = 17;
  lines.forEach((line, i) => ctx.fillText(line, w / 2, h / 2 + (i - (lines.length - 1) / 2) * lineHeight));
  ctx.textAlign = 'left';
}

/** Greedy word wrap: lines no wider than `width` (a single longer word keeps its own line). */
export function wrapWords(text: string, width: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}
