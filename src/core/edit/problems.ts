// The editing tasks of section 9 as (A, Omega) pairs, plus the references the 2D tasks keep.
import { EditError } from './errors';
import { identityMap, patchBasisMap, rotationMap2d, type InvertibleLinearMap } from './linearMap';
import { validateMask } from './masks';

export interface EditProblem {
  map: InvertibleLinearMap;
  /** Omega in A's coordinates: 1 = generate, 0 = keep. */
  mask: Float32Array;
}

/** Inpainting: A = I, Omega = the pixels (or coordinates) to regenerate. */
export function inpaintingProblem(mask: Float32Array): EditProblem {
  validateMask(mask, mask.length);
  return { map: identityMap(mask.length), mask };
}

/** Super-resolution by p: keep each p x p block mean (coefficient 0), generate the detail. */
export function superResolutionProblem(h: number, w: number, p: number, channels = 1): EditProblem {
  const map = patchBasisMap(h, w, p, channels);
  const n = p * p;
  const mask = new Float32Array(map.dim).fill(1);
  for (let g = 0; g < map.dim / n; g++) mask[g * n] = 0;
  return { map, mask };
}

/** Means of the p x p blocks of each HWC image, row-major [B, h/p, w/p, channels]. */
export function blockMeans(images: ArrayLike<number>, h: number, w: number, p: number, channels = 1): Float64Array {
  if (h % p !== 0 || w % p !== 0) throw new EditError('bad-input', `a ${h}x${w} image does not split into ${p}x${p} patches`);
  const per = h * w * channels;
  const B = Math.floor(images.length / per);
  const oh = h / p;
  const ow = w / p;
  const out = new Float64Array(B * oh * ow * channels);
  for (let b = 0; b < B; b++) {
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        for (let ch = 0; ch < channels; ch++) {
          out[((b * oh + Math.floor(r / p)) * ow + Math.floor(c / p)) * channels + ch] += images[b * per + (r * w + c) * channels + ch] / (p * p);
        }
      }
    }
  }
  return out;
}

/** 2D: keep coordinate `axis` (0 = x, 1 = y), generate the other. Reference: any point on the line. */
export function fixCoordinateProblem2d(axis: 0 | 1): EditProblem {
  const mask = new Float32Array(2).fill(1);
  mask[axis] = 0;
  return { map: identityMap(2), mask };
}

export function fixCoordinateReference2d(axis: 0 | 1, value: number): Float32Array {
  const y = new Float32Array(2);
  y[axis] = value;
  return y;
}

/**
 * 2D: keep the projection n . x (n = (cos angle, sin angle)), generate the component along the line
 * n . x = value. A is the rotation whose first coordinate is n . x.
 */
export function lineProjectionProblem2d(angle: number): EditProblem {
  return { map: rotationMap2d(angle), mask: Float32Array.of(0, 1) };
}

/** The point of the line n . x = value closest to the origin (a valid reference y for the projection). */
export function lineReference2d(angle: number, value: number): Float32Array {
  return Float32Array.of(value * Math.cos(angle), value * Math.sin(angle));
}
