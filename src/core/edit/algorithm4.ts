// Algorithm 4 (zero-shot editing, reference section 9): with R(x) = A^-1[(A y)(1 - Omega) + (A x) Omega],
// y0 = A^-1[(A y)(1 - Omega)]; x = y0 + t_1 z; x = R(f(x, t_1)); for n = 2..: x = x + sqrt(t_n^2 - eps^2) z;
// x = R(f(x, t_n)). Everything is per-sample plain arrays; only f touches a model.
import type { ConsistencyFn } from './consistencyFn';
import { EditError } from './errors';
import { validateMask } from './masks';
import type { EditProblem } from './problems';

export interface EditRange {
  eps: number;
  T: number;
}

/** Throws an EditError unless the times are finite, strictly descending and each in [eps, T]. */
export function validateEditTimes(times: readonly number[], { eps, T }: EditRange): void {
  if (times.length === 0) throw new EditError('bad-times', 'at least one time t_1 is needed');
  times.forEach((t, i) => {
    if (!Number.isFinite(t) || t < eps || t > T) {
      throw new EditError('bad-times', `t_${i + 1} = ${t} is outside [eps, T] = [${eps}, ${T}]`);
    }
    if (i > 0 && t >= times[i - 1]) {
      throw new EditError('bad-times', `times must be strictly descending: t_${i + 1} = ${t} is not below t_${i} = ${times[i - 1]}`);
    }
  });
}

/** The reference for every sample: y given once (dim values) is shared by the whole batch. */
function referenceBatch(reference: Float32Array, dim: number, batch: number): Float32Array {
  if (reference.length === dim * batch) return reference;
  if (reference.length !== dim) {
    throw new EditError('bad-input', `the reference has ${reference.length} values; expected ${dim} (shared) or ${dim * batch} (one per sample)`);
  }
  const out = new Float32Array(dim * batch);
  for (let b = 0; b < batch; b++) out.set(reference, b * dim);
  return out;
}

/** The known coefficients (A y)(1 - Omega) of each sample, in float64. */
function keptCoefficients(p: EditProblem, y: Float32Array, batch: number): Float64Array {
  const d = p.map.dim;
  const keep = new Float64Array(batch * d);
  for (let b = 0; b < batch; b++) {
    const ay = p.map.apply(y.subarray(b * d, (b + 1) * d));
    if (ay.length !== d) throw new EditError('bad-input', `A returned ${ay.length} values for a ${d}-vector`);
    for (let i = 0; i < d; i++) keep[b * d + i] = p.mask[i] === 0 ? ay[i] : 0;
  }
  return keep;
}

/** y0 = A^-1[(A y)(1 - Omega)]: what is known of the reference (the blocky low-res image, the kept pixels). */
export function knownPart(p: EditProblem, reference: Float32Array, batch = 1): Float32Array {
  const d = p.map.dim;
  validateMask(p.mask, d);
  const keep = keptCoefficients(p, referenceBatch(reference, d, batch), batch);
  const out = new Float32Array(batch * d);
  for (let b = 0; b < batch; b++) out.set(p.map.inverse(keep.subarray(b * d, (b + 1) * d)), b * d);
  return out;
}

/** R as a function of a batch: replaces the kept coefficients of A x by those of A y. */
export function projection(p: EditProblem, reference: Float32Array, batch: number): (x: Float32Array) => Float32Array {
  const d = p.map.dim;
  validateMask(p.mask, d);
  const keep = keptCoefficients(p, referenceBatch(reference, d, batch), batch);
  return (x) => {
    const out = new Float32Array(batch * d);
    for (let b = 0; b < batch; b++) {
      const c = p.map.apply(x.subarray(b * d, (b + 1) * d));
      for (let i = 0; i < d; i++) if (p.mask[i] === 0) c[i] = keep[b * d + i];
      out.set(p.map.inverse(c), b * d);
    }
    return out;
  };
}

export interface EditRequest {
  f: ConsistencyFn;
  /** Length of one sample's vector. */
  dim: number;
  /** y: dim values (shared by the batch) or batch * dim. For stroke guidance, the stroke image. */
  reference: Float32Array;
  /** (A, Omega); null = stroke-guided generation: start from y itself and never project. */
  problem: EditProblem | null;
  /** t_1 > t_2 > ..., each in [eps, T]. */
  times: readonly number[];
  /** One z (batch * dim normals) per time; the batch size is read from it. */
  noise: readonly Float32Array[];
  range: EditRange;
  /** Called after each projected step with its index and iterate (e.g. to stream a strip). */
  onIterate?: (n: number, x: Float32Array) => void;
}

export interface EditResult {
  batch: number;
  times: number[];
  /** y0 (or y itself for stroke guidance), batch * dim. */
  start: Float32Array;
  /** The noisy inputs of f: y0 + t_1 z, then x + sqrt(t_n^2 - eps^2) z. */
  noisy: Float32Array[];
  /** x after each step, R(f(., t_n)); the last one is the result. */
  iterates: Float32Array[];
}

export async function zeroShotEdit(req: EditRequest): Promise<EditResult> {
  const { f, dim, problem, times, noise, range } = req;
  validateEditTimes(times, range);
  if (problem) validateMask(problem.mask, dim);
  if (problem && problem.map.dim !== dim) throw new EditError('bad-input', `A acts on ${problem.map.dim}-vectors; the data has ${dim} values per sample`);
  if (noise.length < times.length) throw new EditError('bad-input', `${times.length} times need ${times.length} noise arrays (got ${noise.length})`);
  const batch = noise[0].length / dim;
  if (!Number.isInteger(batch) || batch < 1) throw new EditError('bad-input', `noise of ${noise[0].length} values is not a whole batch of ${dim}-vectors`);
  noise.forEach((z, n) => {
    if (z.length !== batch * dim) throw new EditError('bad-input', `noise ${n + 1} has ${z.length} values; expected ${batch * dim}`);
  });
  const y = referenceBatch(req.reference, dim, batch);
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) throw new EditError('bad-input', `the reference has a non-finite value at ${i}`);

  const R = problem ? projection(problem, y, batch) : (x: Float32Array) => x;
  const start = problem ? knownPart(problem, y, batch) : Float32Array.from(y);
  const noisy: Float32Array[] = [];
  const iterates: Float32Array[] = [];
  let x = start;
  for (let n = 0; n < times.length; n++) {
    const t = times[n];
    // The first step noises y0 to t_1; later ones re-noise the clean iterate from eps up to t_n.
    const sd = n === 0 ? t : Math.sqrt(Math.max(t * t - range.eps * range.eps, 0));
    const xHat = new Float32Array(batch * dim);
    for (let i = 0; i < xHat.length; i++) xHat[i] = x[i] + sd * noise[n][i];
    noisy.push(xHat);
    x = R(await f(xHat, t, batch));
    iterates.push(x);
    req.onIterate?.(n, x);
  }
  return { batch, times: [...times], start, noisy, iterates };
}
