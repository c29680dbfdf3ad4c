// Interpolation (section 9): spherical interpolation between two Gaussian latents keeps the interpolants
// at the typical radius of the prior, then one step f(T z_alpha, T) maps each to data.
import type { ConsistencyFn } from './consistencyFn';
import { EditError } from './errors';

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** slerp(z0, z1; alpha) = sin((1 - alpha) theta)/sin theta z0 + sin(alpha theta)/sin theta z1. */
export function slerp(z0: Float32Array, z1: Float32Array, alpha: number): Float32Array {
  if (z0.length !== z1.length) throw new EditError('bad-input', `latents differ in length (${z0.length} vs ${z1.length})`);
  const n0 = Math.sqrt(dot(z0, z0));
  const n1 = Math.sqrt(dot(z1, z1));
  if (!(n0 > 0) || !(n1 > 0)) throw new EditError('bad-input', 'slerp needs two non-zero latents');
  const cos = Math.max(-1, Math.min(1, dot(z0, z1) / (n0 * n1)));
  const theta = Math.acos(cos);
  const sin = Math.sin(theta);
  if (sin < 1e-7 && cos < 0) throw new EditError('bad-input', 'slerp between opposite latents has no unique path');
  // Nearly parallel latents: the limit of the formula is linear interpolation.
  const a = sin < 1e-7 ? 1 - alpha : Math.sin((1 - alpha) * theta) / sin;
  const b = sin < 1e-7 ? alpha : Math.sin(alpha * theta) / sin;
  return Float32Array.from(z0, (v, i) => a * v + b * z1[i]);
}

/** Evenly spaced alphas 0, 1/(n-1), ..., 1. */
export function evenAlphas(n: number): number[] {
  if (!Number.isInteger(n) || n < 2) throw new EditError('bad-input', `interpolation needs at least 2 points (got ${n})`);
  return Array.from({ length: n }, (_, i) => i / (n - 1));
}

export interface Interpolation {
  alphas: number[];
  /** The slerped latents z_alpha, one after another. */
  latents: Float32Array;
  /** f(T z_alpha, T), one after another. */
  samples: Float32Array;
}

export async function interpolate(f: ConsistencyFn, z0: Float32Array, z1: Float32Array, alphas: readonly number[], T: number): Promise<Interpolation> {
  const d = z0.length;
  const latents = new Float32Array(alphas.length * d);
  alphas.forEach((alpha, k) => {
    if (!Number.isFinite(alpha) || alpha < 0 || alpha > 1) throw new EditError('bad-input', `alpha = ${alpha} is outside [0, 1]`);
    latents.set(slerp(z0, z1, alpha), k * d);
  });
  const samples = await f(Float32Array.from(latents, (v) => v * T), T, alphas.length);
  return { alphas: [...alphas], latents, samples };
}
