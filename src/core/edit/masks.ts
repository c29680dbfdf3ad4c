// Masks Omega for inpainting (1 = generate, 0 = keep), over an HWC image or any per-sample vector.
import { EditError } from './errors';

export const MASK_PRESETS = ['left-half', 'right-half', 'top-half', 'bottom-half', 'centre-square'] as const;
export type MaskPreset = (typeof MASK_PRESETS)[number];

export function isMaskPreset(name: string): name is MaskPreset {
  return (MASK_PRESETS as readonly string[]).includes(name);
}

/** The preset names the region to regenerate: "left-half" regenerates the left half and keeps the right. */
export function maskPreset(name: MaskPreset, h: number, w: number, channels = 1): Float32Array {
  const inside = (r: number, c: number): boolean => {
    switch (name) {
      case 'left-half':
        return c < w / 2;
      case 'right-half':
        return c >= w / 2;
      case 'top-half':
        return r < h / 2;
      case 'bottom-half':
        return r >= h / 2;
      case 'centre-square':
        return Math.abs(r + 0.5 - h / 2) <= h / 4 && Math.abs(c + 0.5 - w / 2) <= w / 4;
    }
  };
  const m = new Float32Array(h * w * channels);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) if (inside(r, c)) m.fill(1, (r * w + c) * channels, (r * w + c + 1) * channels);
  return m;
}

/**
 * A painted mask (one value per pixel, e.g. brush opacity in [0, 1]) as a binary Omega: painted
 * (value >= 0.5) = generate. Applies to every channel of the pixel.
 */
export function paintedMask(painted: ArrayLike<number>, h: number, w: number, channels = 1): Float32Array {
  if (painted.length !== h * w) {
    throw new EditError('bad-mask', `the mask has ${painted.length} values; a ${h}x${w} image needs ${h * w}`);
  }
  const m = new Float32Array(h * w * channels);
  for (let i = 0; i < h * w; i++) if (painted[i] >= 0.5) m.fill(1, i * channels, (i + 1) * channels);
  return m;
}

/** Throws an EditError unless the mask has `dim` entries, each 0 or 1, and at least one 1. */
export function validateMask(mask: ArrayLike<number>, dim: number): void {
  if (mask.length !== dim) throw new EditError('bad-mask', `the mask has ${mask.length} entries; this data needs ${dim}`);
  let generate = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 0 && mask[i] !== 1) throw new EditError('bad-mask', `mask entries must be 0 (keep) or 1 (generate); entry ${i} is ${mask[i]}`);
    generate += mask[i];
  }
  if (generate === 0) throw new EditError('empty-mask', 'the mask is empty: nothing to generate (paint the region to regenerate)');
}
