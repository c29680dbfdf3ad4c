// What the steps strip shows for an edit reply: rows of samples (one per seed), columns of steps (where
// it started, then each projected iterate x_n with its time t_n). Pure, so the layout is unit-tested.
import type { EditReply } from '../../worker/protocol';

export interface StripLayout {
  rows: number;
  cols: number;
  columnLabels: string[];
  /** Image of tile (row, col) as a view into the reply's arrays. */
  tile(row: number, col: number): Float32Array;
}

export function formatTime(t: number): string {
  if (t >= 10) return t.toFixed(1);
  if (t >= 0.1) return t.toFixed(2);
  return t.toPrecision(2);
}

function startLabel(r: EditReply): string {
  switch (r.task) {
    case 'denoise':
      return 'noisy';
    case 'stroke':
      return 'drawing';
    case 'superres':
      return 'block means';
    default:
      return 'known y0';
  }
}

/** Steps of each sample; interpolation is one row (the slerp path), its latents scaled to show. */
export function stripLayout(r: EditReply, maxRows = 8): StripLayout {
  const dim = r.dataShape.reduce((a, b) => a * b, 1);
  const at = (a: Float32Array, k: number) => a.subarray(k * dim, (k + 1) * dim);
  if (r.task === 'interpolate') {
    const alphas = r.alphas ?? [];
    return {
      rows: 1, cols: r.batch, columnLabels: alphas.map((a) => `α ${a.toFixed(2)}`),
      tile: (_row, col) => at(r.result, col),
    };
  }
  const cols = 1 + r.iterates.length;
  return {
    rows: Math.min(r.batch, maxRows),
    cols,
    columnLabels: [startLabel(r), ...r.times.map((t) => `t ${formatTime(t)}`)],
    tile: (row, col) => (col === 0 ? at(r.start, row) : at(r.iterates[col - 1], row)),
  };
}

export function describeTimes(times: readonly number[]): string {
  return times.length === 0 ? '' : times.map(formatTime).join(' → ');
}
