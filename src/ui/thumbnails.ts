// Small pictures of the preset datasets, sampled once on the main thread (pure JS, a few ms each).
import { presetDataset } from '../core/data/dataset2d';
import { sampleMixture } from '../core/data/mixture';
import { PRESET_NAMES, type PresetName } from '../core/data/presets2d';
import { Rng } from '../core/rng';

const cache = new Map<PresetName, Float32Array>();

export function thumbnailPoints(name: PresetName): Float32Array {
  let pts = cache.get(name);
  if (!pts) {
    pts = sampleMixture(presetDataset(name, 0.5).mixture, 500, new Rng(7, `thumbnail:${name}`));
    cache.set(name, pts);
  }
  return pts;
}

export function drawThumbnail(canvas: HTMLCanvasElement, pts: ArrayLike<number>, colour: string, extent = 1.7): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  const size = canvas.clientWidth || 56;
  canvas.width = Math.round(size * dpr);
  canvas.height = Math.round(size * dpr);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size, size);
  ctx.fillStyle = colour;
  for (let i = 0; i + 1 < pts.length; i += 2) {
    const x = ((pts[i] + extent) / (2 * extent)) * size;
    const y = ((extent - pts[i + 1]) / (2 * extent)) * size;
    ctx.fillRect(x - 0.8, y - 0.8, 1.6, 1.6);
  }
}

export const PRESETS: readonly PresetName[] = PRESET_NAMES;
