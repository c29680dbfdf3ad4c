// Image samples (e.g. MNIST, values in [-1, 1]) as a grid of tiles.
export function drawImageGrid(
  ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number,
  images: Float32Array, shape: number[], maxTiles = 64,
): void {
  // Channels-last [H, W, C], as the models use (NHWC).
  const [ih, iw, c] = shape.length === 3 ? shape : [shape[0], shape[1], 1];
  const per = c * ih * iw;
  const n = Math.min(maxTiles, Math.floor(images.length / per));
  if (n === 0) return;
  const cols = Math.ceil(Math.sqrt(n * (w / h)));
  const rows = Math.ceil(n / cols);
  const tile = Math.floor(Math.min(w / cols, h / rows));
  const img = new ImageData(iw, ih);
  const scratch = document.createElement('canvas');
  scratch.width = iw;
  scratch.height = ih;
  const sctx = scratch.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  for (let k = 0; k < n; k++) {
    for (let p = 0; p < ih * iw; p++) {
      // Grey images repeat their one channel.
      for (let ch = 0; ch < 3; ch++) {
        const v = images[k * per + p * c + (c === 3 ? ch : 0)];
        img.data[4 * p + ch] = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
      }
      img.data[4 * p + 3] = 255;
    }
    sctx.putImageData(img, 0, 0);
    ctx.drawImage(scratch, x + (k % cols) * tile, y + Math.floor(k / cols) * tile, tile - 1, tile - 1);
  }
}
