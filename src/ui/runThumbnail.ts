// A small picture of a run's latest samples for the saved-runs list: the one-step samples as a scatter
// (2D) or the first four digits (images), as a PNG data URL (a few kB, kept with the saved run).
import type { SnapshotEvent, StaticEvent } from '../worker/protocol';

const SIZE = 64;

export function samplesThumbnail(snapshot: SnapshotEvent | null, staticData: StaticEvent | null): string | null {
  const samples = snapshot?.samples[0];
  if (!samples || samples.length === 0 || typeof document === 'undefined') return null;
  const canvas = document.createElement('canvas');
  canvas.width = SIZE;
  canvas.height = SIZE;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const shape = staticData?.dataShape ?? [2];
  if (shape.length === 1 && shape[0] === 2) drawScatter(ctx, samples, staticData?.data ?? samples);
  else drawDigits(ctx, samples, shape);
  try {
    return canvas.toDataURL('image/png');
  } catch {
    return null;
  }
}

function drawScatter(ctx: CanvasRenderingContext2D, pts: Float32Array, reference: Float32Array): void {
  // Scaled to the data, so a thumbnail looks like the sample view; far-off samples are clipped.
  let extent = 0;
  for (let i = 0; i < reference.length; i++) if (Number.isFinite(reference[i])) extent = Math.max(extent, Math.abs(reference[i]));
  extent = extent > 0 ? extent * 1.15 : 2;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, SIZE, SIZE);
  ctx.fillStyle = '#2563eb';
  for (let i = 0; i + 1 < pts.length; i += 2) {
    const x = ((pts[i] + extent) / (2 * extent)) * SIZE;
    const y = ((extent - pts[i + 1]) / (2 * extent)) * SIZE;
    if (x >= 0 && x <= SIZE && y >= 0 && y <= SIZE) ctx.fillRect(x - 0.6, y - 0.6, 1.2, 1.2);
  }
}

function drawDigits(ctx: CanvasRenderingContext2D, pixels: Float32Array, shape: number[]): void {
  const [h, w] = shape;
  const per = shape.reduce((a, b) => a * b, 1);
  const count = Math.min(4, Math.floor(pixels.length / per));
  const image = ctx.createImageData(2 * w, 2 * h);
  for (let k = 0; k < count; k++) {
    const ox = (k % 2) * w;
    const oy = Math.floor(k / 2) * h;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        // First channel only; pixels are in [-1, 1].
        const v = Math.round(Math.min(1, Math.max(0, (pixels[k * per + (y * w + x) * (shape[2] ?? 1)] + 1) / 2)) * 255);
        const o = ((oy + y) * 2 * w + ox + x) * 4;
        image.data[o] = image.data[o + 1] = image.data[o + 2] = v;
        image.data[o + 3] = 255;
      }
    }
  }
  const tmp = document.createElement('canvas');
  tmp.width = 2 * w;
  tmp.height = 2 * h;
  tmp.getContext('2d')?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tmp, 0, 0, SIZE, SIZE);
}
