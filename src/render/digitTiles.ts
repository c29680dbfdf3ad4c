// Drawing 28x28 digits (values in [-1, 1], channels-last) as tiles: one scratch canvas is reused for every
// tile, and tiles are scaled without smoothing so the pixels stay crisp.
export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

export function imageShape(dataShape: number[]): ImageShape {
  const [height, width, channels = 1] = dataShape;
  return { height, width, channels };
}

export const imageSize = (s: ImageShape) => s.height * s.width * s.channels;

/** Number of whole images in a flat array. */
export const imageCount = (images: ArrayLike<number>, s: ImageShape) => Math.floor(images.length / imageSize(s));

let scratch: { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D; img: ImageData } | null = null;

function scratchFor(s: ImageShape) {
  if (!scratch || scratch.canvas.width !== s.width || scratch.canvas.height !== s.height) {
    const canvas = document.createElement('canvas');
    canvas.width = s.width;
    canvas.height = s.height;
    const ctx = canvas.getContext('2d')!;
    scratch = { canvas, ctx, img: ctx.createImageData(s.width, s.height) };
  }
  return scratch;
}

/** Pixel value in [-1, 1] to a byte: -1 is black (MNIST background), 1 white. */
export const toByte = (v: number) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));

/** Draws image `index` of `images` into the square (x, y, size). */
export function drawDigit(ctx: CanvasRenderingContext2D, images: ArrayLike<number>, index: number, s: ImageShape, x: number, y: number, size: number): void {
  const sc = scratchFor(s);
  const d = sc.img.data;
  const base = index * imageSize(s);
  for (let p = 0; p < s.height * s.width; p++) {
    for (let ch = 0; ch < 3; ch++) d[4 * p + ch] = toByte(images[base + p * s.channels + (s.channels === 3 ? ch : 0)]);
    d[4 * p + 3] = 255;
  }
  sc.ctx.putImageData(sc.img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(sc.canvas, x, y, size, size);
}

/** Columns and rows of a near-square grid of n tiles that fits w x h, and the tile size. */
export function gridLayout(n: number, w: number, h: number, gap = 2): { cols: number; rows: number; tile: number } {
  let best = { cols: 1, rows: Math.max(1, n), tile: 0 };
  for (let cols = 1; cols <= Math.max(1, n); cols++) {
    const rows = Math.ceil(n / cols);
    const tile = Math.floor(Math.min((w - gap * (cols - 1)) / cols, (h - gap * (rows - 1)) / rows));
    if (tile > best.tile) best = { cols, rows, tile };
  }
  return best;
}

/** A grid of all images, centred in (x, y, w, h). */
export function drawDigitGrid(ctx: CanvasRenderingContext2D, images: ArrayLike<number>, s: ImageShape, x: number, y: number, w: number, h: number, gap = 2): void {
  const n = imageCount(images, s);
  if (n === 0) return;
  const { cols, rows, tile } = gridLayout(n, w, h, gap);
  const ox = x + (w - (cols * tile + (cols - 1) * gap)) / 2;
  const oy = y + (h - (rows * tile + (rows - 1) * gap)) / 2;
  for (let k = 0; k < n; k++) drawDigit(ctx, images, k, s, ox + (k % cols) * (tile + gap), oy + Math.floor(k / cols) * (tile + gap), tile);
}

/** A crisp PNG of a grid at an integer scale (for download), independent of the canvas on screen. */
export function digitGridCanvas(images: ArrayLike<number>, s: ImageShape, scale = 3, gap = 2): HTMLCanvasElement {
  const n = Math.max(1, imageCount(images, s));
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const tile = s.width * scale;
  const canvas = document.createElement('canvas');
  canvas.width = cols * tile + (cols - 1) * gap;
  canvas.height = rows * tile + (rows - 1) * gap;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#808080';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (let k = 0; k < imageCount(images, s); k++) drawDigit(ctx, images, k, s, (k % cols) * (tile + gap), Math.floor(k / cols) * (tile + gap), tile);
  return canvas;
}
