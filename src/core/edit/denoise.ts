// Denoising (section 9): a noisy image at a known noise level sigma is a point on the PF-ODE at t = sigma,
// so one call f(y_noisy, sigma) maps it to the clean end of its trajectory.
import type { ConsistencyFn } from './consistencyFn';
import { EditError } from './errors';
import type { EditRange } from './algorithm4';

/** y + sigma z for each sample (y shared when it has dim values). */
export function addNoise(y: Float32Array, sigma: number, z: Float32Array): Float32Array {
  if (z.length % y.length !== 0) throw new EditError('bad-input', `noise of ${z.length} values does not match a reference of ${y.length}`);
  return Float32Array.from(z, (v, i) => y[i % y.length] + sigma * v);
}

export async function denoise(f: ConsistencyFn, noisy: Float32Array, sigma: number, batch: number, { eps, T }: EditRange): Promise<Float32Array> {
  if (!Number.isFinite(sigma) || sigma < eps || sigma > T) throw new EditError('bad-times', `sigma = ${sigma} is outside [eps, T] = [${eps}, ${T}]`);
  return f(noisy, sigma, batch);
}
