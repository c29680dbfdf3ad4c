// Canvas drawing for the edit panel: grey images in [-1, 1] as crisp enlarged pixels, and the steps strip.
import { fitCanvas } from '../../render/hidpi';
import type { Palette } from '../../render/palette';
import type { StripLayout } from './strip';

let scratch: HTMLCanvasElement | null = null;

/** A side x side grey image in [-1, 1] drawn into the square (x, y, size), nearest-neighbour. */
export function drawGrey(ctx: CanvasRenderingContext2D, img: ArrayLike<number>, side: number, x: number, y: number, size: number): void {
  scratch ??= document.createElement('canvas');
  scratch.width = side;
  scratch.height = side;
  const sctx = scratch.getContext('2d')!;
  const data = sctx.createImageData(side, side);
  for (let p = 0; p < side * side; p++) {
    const v = Math.max(0, Math.min(255, Math.round((img[p] + 1) * 127.5)));
    data.data.set([v, v, v, 255], 4 * p);
  }
  sctx.putImageData(data, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, x, y, size, size);
}

const LABEL_H = 16;

/** Sizes the canvas to fit the strip (tiles of at most `maxTile` px across its width) and draws it. */
export function drawStrip(canvas: HTMLCanvasElement, layout: StripLayout, side: number, pal: Palette, maxTile = 64): void {
  const cssWidth = canvas.parentElement?.clientWidth ?? 600;
  const gap = 3;
  const tile = Math.max(12, Math.min(maxTile, Math.floor((cssWidth - gap * layout.cols) / layout.cols)));
  const width = layout.cols * (tile + gap);
  const height = LABEL_H + layout.rows * (tile + gap);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const s = fitCanvas(canvas);
  if (!s) return;
  const { ctx } = s;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = pal.muted;
  ctx.font = pal.font;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  layout.columnLabels.forEach((label, col) => ctx.fillText(label, col * (tile + gap) + tile / 2, 2, tile));
  for (let row = 0; row < layout.rows; row++) {
    for (let col = 0; col < layout.cols; col++) drawGrey(ctx, layout.tile(row, col), side, col * (tile + gap), LABEL_H + row * (tile + gap), tile);
  }
}
