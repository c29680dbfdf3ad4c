// Sample quality for point clouds: sliced Wasserstein-1 distance and energy distance, in float64 on the CPU
// (cheap for a few thousand points) so the UI, the CLI and the benchmark report the same numbers.

/** Unit directions: evenly spaced angles in 2D (deterministic); seeded Gaussian directions otherwise. */
export function projectionDirections(dim: number, count: number): Float64Array {
  const dirs = new Float64Array(dim * count);
  if (dim === 2) {
    for (let i = 0; i < count; i++) {
      const a = (Math.PI * (i + 0.5)) / count;
      dirs[2 * i] = Math.cos(a);
      dirs[2 * i + 1] = Math.sin(a);
    }
    return dirs;
  }
  let state = 12345;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  for (let i = 0; i < count; i++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const g = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
      dirs[i * dim + j] = g;
      norm += g * g;
    }
    for (let j = 0; j < dim; j++) dirs[i * dim + j] /= Math.sqrt(norm);
  }
  return dirs;
}

function projectSorted(x: ArrayLike<number>, dim: number, dirs: Float64Array, p: number): Float64Array {
  const n = Math.floor(x.length / dim);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += x[i * dim + j] * dirs[p * dim + j];
    out[i] = s;
  }
  return out.sort();
}

/** Quantile function of a sorted sample at level q in (0, 1), by linear interpolation. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * sorted.length - 0.5;
  const i = Math.min(Math.max(Math.floor(pos), 0), sorted.length - 1);
  const j = Math.min(i + 1, sorted.length - 1);
  const f = Math.min(Math.max(pos - i, 0), 1);
  return sorted[i] * (1 - f) + sorted[j] * f;
}

/**
 * Sliced Wasserstein-1: the mean over directions of W1 between the projected samples. Unequal sample
 * sizes are compared through their quantile functions. Non-finite samples make the result Infinity.
 */
export function slicedWasserstein(a: ArrayLike<number>, b: ArrayLike<number>, dim: number, projections = 64): number {
  for (const arr of [a, b]) for (let i = 0; i < arr.length; i++) if (!Number.isFinite(arr[i])) return Number.POSITIVE_INFINITY;
  const dirs = projectionDirections(dim, projections);
  let total = 0;
  for (let p = 0; p < projections; p++) {
    const pa = projectSorted(a, dim, dirs, p);
    const pb = projectSorted(b, dim, dirs, p);
    const m = Math.max(pa.length, pb.length);
    let w = 0;
    for (let i = 0; i < m; i++) {
      const q = (i + 0.5) / m;
      w += Math.abs(quantile(pa, q) - quantile(pb, q));
    }
    total += w / m;
  }
  return total / projections;
}

/** |x_i - y_j| for points stored `dim` numbers apart. */
function pointDistance(x: ArrayLike<number>, i: number, y: ArrayLike<number>, j: number, dim: number): number {
  let d = 0;
  for (let k = 0; k < dim; k++) d += (x[i * dim + k] - y[j * dim + k]) ** 2;
  return Math.sqrt(d);
}

/** Mean distance between the first `nx` points of x and the first `ny` points of y (all pairs). */
function meanDistance(x: ArrayLike<number>, nx: number, y: ArrayLike<number>, ny: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) s += pointDistance(x, i, y, j, dim);
  return s / (nx * ny);
}

/**
 * E|X - X'| of one sample (V-statistic over its first `cap` points): each pair once, as the distance is
 * symmetric. The energy distance's term of a fixed reference sample, which an evaluation can compute once.
 */
export function selfDistance(a: ArrayLike<number>, dim: number, cap = 1000): number {
  const n = Math.min(Math.floor(a.length / dim), cap);
  let s = 0;
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) s += pointDistance(a, i, a, j, dim);
  return (2 * s) / (n * n);
}

/**
 * Energy distance 2 E|X - Y| - E|X - X'| - E|Y - Y'| (V-statistics; at most `cap` points of each).
 * `bSelf`: E|Y - Y'| when the caller has it (selfDistance(b, dim, cap)), so a fixed reference is not redone.
 */
export function energyDistance(a: ArrayLike<number>, b: ArrayLike<number>, dim: number, cap = 1000, bSelf?: number): number {
  const na = Math.min(Math.floor(a.length / dim), cap);
  const nb = Math.min(Math.floor(b.length / dim), cap);
  return 2 * meanDistance(a, na, b, nb, dim) - selfDistance(a, dim, cap) - (bSelf ?? selfDistance(b, dim, cap));
}
