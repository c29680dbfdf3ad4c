// Bounded history for live charts. When full, every other point is dropped and only every 2nd, 4th, ...
// new point is kept, so a long run still spans the whole chart at a coarser resolution and memory stays fixed.
export class DecimatingSeries {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  length = 0;
  /** Keep one of every `stride` pushed points. */
  stride = 1;
  private skipped = 0;
  /** Bumped on every change, so a renderer can tell whether to redraw. */
  version = 0;

  constructor(readonly capacity = 2048) {
    if (capacity < 2 || capacity % 2 !== 0) throw new RangeError('capacity must be an even number >= 2');
    this.xs = new Float64Array(capacity);
    this.ys = new Float64Array(capacity);
  }

  push(x: number, y: number): void {
    if (this.skipped++ % this.stride !== 0) return;
    if (this.length === this.capacity) this.halve();
    this.xs[this.length] = x;
    this.ys[this.length] = y;
    this.length++;
    this.version++;
  }

  /** Forgets every point after x (the run was rewound to step x); xs must be ascending. */
  truncateAfter(x: number): void {
    let n = this.length;
    while (n > 0 && this.xs[n - 1] > x) n--;
    if (n === this.length) return;
    this.length = n;
    this.version++;
  }

  clear(): void {
    this.length = 0;
    this.stride = 1;
    this.skipped = 0;
    this.version++;
  }

  private halve(): void {
    const half = this.capacity / 2;
    for (let i = 0; i < half; i++) {
      this.xs[i] = this.xs[2 * i];
      this.ys[i] = this.ys[2 * i];
    }
    this.length = half;
    this.stride *= 2;
    this.skipped = 1;
  }
}

/** Debiased exponential moving average (TensorBoard-style smoothing); NaN/inf values are carried over. */
export function smoothSeries(values: ArrayLike<number>, length: number, weight: number): Float64Array {
  const out = new Float64Array(length);
  let avg = 0;
  let norm = 0;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      avg = weight * avg + (1 - weight) * v;
      norm = weight * norm + (1 - weight);
    }
    out[i] = norm > 0 ? avg / norm : Number.NaN;
  }
  return out;
}

/** Seconds left to reach the budget at the measured speed; null while the speed is unknown. */
export function etaSeconds(step: number, budget: number, stepsPerSecond: number): number | null {
  if (!(stepsPerSecond > 0) || !Number.isFinite(stepsPerSecond)) return null;
  return Math.max(0, budget - step) / stepsPerSecond;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
