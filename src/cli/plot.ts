// Raster images for the CLI: a scatter plot of 2D point sets and a grid of greyscale images.

export interface Layer {
  points: ArrayLike<number>;
  rgb: [number, number, number];
  radius?: number;
}

/** Draws layers (row-major x,y) onto a white square; the view fits all points with a margin. */
export function scatterRgba(layers: Layer[], size = 512): Uint8ClampedArray {
  const img = new Uint8ClampedArray(size * size * 4).fill(255);
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of layers) {
    for (let i = 0; i < l.points.length; i++) {
      const v = l.points[i];
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (!(hi > lo)) {
    lo = -1;
    hi = 1;
  }
  const pad = 0.05 * (hi - lo);
  lo -= pad;
  hi += pad;
  const toPx = (v: number) => ((v - lo) / (hi - lo)) * (size - 1);
  for (const l of layers) {
    const r = l.radius ?? 1.5;
    for (let i = 0; i + 1 < l.points.length; i += 2) {
      const cx = toPx(l.points[i]);
      const cy = size - 1 - toPx(l.points[i + 1]);
      if (!Number.isFinite(cx) || !Number.isFinite(cy)) continue;
      for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
        for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
          if (x < 0 || y < 0 || x >= size || y >= size || (x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
          const o = (y * size + x) * 4;
          img[o] = l.rgb[0];
          img[o + 1] = l.rgb[1];
          img[o + 2] = l.rgb[2];
        }
      }
    }
  }
  return img;
}

/** Images in [-1, 1] (row-major [n, h, w]) tiled into `cols` columns with 2 px gaps, scaled up by `zoom`. */
export function imageGridRgba(images: ArrayLike<number>, n: number, h: number, w: number, cols: number, zoom = 2): { rgba: Uint8ClampedArray; width: number; height: number } {
  const rows = Math.ceil(n / cols);
  const gap = 2;
  const width = cols * (w * zoom + gap) + gap;
  const height = rows * (h * zoom + gap) + gap;
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let k = 0; k < n; k++) {
    const ox = gap + (k % cols) * (w * zoom + gap);
    const oy = gap + Math.floor(k / cols) * (h * zoom + gap);
    for (let y = 0; y < h * zoom; y++) {
      for (let x = 0; x < w * zoom; x++) {
        const v = images[k * h * w + Math.floor(y / zoom) * w + Math.floor(x / zoom)];
        const g = Math.round(((Math.max(-1, Math.min(1, v)) + 1) / 2) * 255);
        const o = ((oy + y) * width + ox + x) * 4;
        rgba[o] = rgba[o + 1] = rgba[o + 2] = g;
      }
    }
  }
  return { rgba, width, height };
}
