// The invertible linear maps A of Algorithm 4 (reference section 9), as functions on one sample's vector.
// Computed in float64 so that A^-1 A reproduces the kept part to float32 precision.
import { EditError } from './errors';
import { helmertBasis } from './patchBasis';

export interface InvertibleLinearMap {
  /** Length of one sample's vector (e.g. 2, or 28 * 28 * 1). */
  readonly dim: number;
  /** A v. */
  apply(v: ArrayLike<number>): Float64Array;
  /** A^-1 c. */
  inverse(c: ArrayLike<number>): Float64Array;
}

export function identityMap(dim: number): InvertibleLinearMap {
  const copy = (v: ArrayLike<number>) => Float64Array.from(v as ArrayLike<number>);
  return { dim, apply: copy, inverse: copy };
}

/**
 * 2D rotation by `angle` (radians): the first coordinate of A x is its component along
 * n = (cos angle, sin angle), the second along n rotated by +90 degrees.
 */
export function rotationMap2d(angle: number): InvertibleLinearMap {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return {
    dim: 2,
    apply: (v) => Float64Array.of(c * v[0] + s * v[1], -s * v[0] + c * v[1]),
    inverse: (u) => Float64Array.of(c * u[0] - s * u[1], s * u[0] + c * u[1]),
  };
}

/**
 * Per p x p patch (and channel) of an HWC image, the coefficients in an orthonormal basis whose first
 * vector is the patch mean direction (section 9, super-resolution). Coefficient layout:
 * ((patchRow * (w / p) + patchCol) * channels + channel) * p^2 + k; k = 0 is sqrt(p^2) x the block mean.
 */
export function patchBasisMap(h: number, w: number, p: number, channels = 1): InvertibleLinearMap {
  if (!Number.isInteger(p) || p < 1) throw new EditError('bad-input', `patch size must be a positive integer (got ${p})`);
  if (h % p !== 0 || w % p !== 0) throw new EditError('bad-input', `a ${h}x${w} image does not split into ${p}x${p} patches`);
  const n = p * p;
  const B = helmertBasis(n);
  const cols = w / p;
  const patches = (h / p) * cols;
  // pixel[(patch, channel, j)] for j = row-major position inside the patch
  const pixelIndex = new Int32Array(patches * channels * n);
  for (let q = 0; q < patches; q++) {
    const r0 = Math.floor(q / cols) * p;
    const c0 = (q % cols) * p;
    for (let ch = 0; ch < channels; ch++) {
      for (let j = 0; j < n; j++) {
        pixelIndex[(q * channels + ch) * n + j] = ((r0 + Math.floor(j / p)) * w + c0 + (j % p)) * channels + ch;
      }
    }
  }
  const dim = h * w * channels;
  return {
    dim,
    apply(v) {
      const out = new Float64Array(dim);
      for (let g = 0; g < patches * channels; g++) {
        const base = g * n;
        for (let k = 0; k < n; k++) {
          let acc = 0;
          for (let j = 0; j < n; j++) acc += B[k * n + j] * v[pixelIndex[base + j]];
          out[base + k] = acc;
        }
      }
      return out;
    },
    inverse(c) {
      const out = new Float64Array(dim);
      for (let g = 0; g < patches * channels; g++) {
        const base = g * n;
        for (let j = 0; j < n; j++) {
          let acc = 0;
          for (let k = 0; k < n; k++) acc += B[k * n + j] * c[base + k]; // B is orthogonal: A^-1 = B^T
          out[pixelIndex[base + j]] = acc;
        }
      }
      return out;
    },
  };
}
