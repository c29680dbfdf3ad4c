// Noise for an edit: one z per time. Per-seed streams make a completion depend only on its own seed,
// not on how many other seeds are edited alongside it.
import { Rng } from '../rng';

/** steps arrays of batch * dim normals from one stream. */
export function editNoise(rng: Rng, steps: number, batch: number, dim: number): Float32Array[] {
  return Array.from({ length: steps }, () => rng.normals(batch * dim));
}

/** Sample b uses the stream (seeds[b], "edit"): step n's z for it is the same for any batch. */
export function seededEditNoise(seeds: readonly number[], steps: number, dim: number): Float32Array[] {
  const out = Array.from({ length: steps }, () => new Float32Array(seeds.length * dim));
  seeds.forEach((seed, b) => {
    const rng = new Rng(seed, 'edit');
    for (let n = 0; n < steps; n++) rng.fillNormal(out[n].subarray(b * dim, (b + 1) * dim));
  });
  return out;
}

/** A Gaussian latent z of `dim` entries for a seed (interpolation endpoints). */
export function seededLatent(seed: number, dim: number): Float32Array {
  return new Rng(seed, 'latent').normals(dim);
}
