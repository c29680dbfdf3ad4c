// `cm edit` on 2D runs: keep one coordinate (inpaint --fix) or a projection (project), as scatter PNGs and CSV.
import { conditionalSample2d, normaliseConstraint2d, type Constraint2d, type EditRange } from '../../core/edit/index';
import type { TrainingSession } from '../../core/run/session';
import { Rng } from '../../core/rng';
import { UsageError, type ParsedArgs } from '../args';
import { encodePng } from '../png';
import { scatterRgba, type Layer } from '../plot';
import { intFlag } from './common';
import { TASKS_2D, DEFAULT_STEPS_2D, type Files, stringFlag, numberFlag, editTimesFlag } from './editFlags';

export async function edit2d(args: ParsedArgs, session: TrainingSession, task: string, range: EditRange, files: Files): Promise<Record<string, unknown>> {
  if (!(TASKS_2D as readonly string[]).includes(task)) throw new UsageError(`--task: "${task}" is not a 2D edit (${TASKS_2D.join('|')})`);
  let constraint: Constraint2d;
  let about: Record<string, unknown>;
  if (task === 'inpaint') {
    const fix = stringFlag(args, 'fix');
    const m = fix?.match(/^\s*([xy])\s*=\s*(.+)$/);
    if (!m || !Number.isFinite(Number(m[2])) || m[2].trim() === '') throw new UsageError(`--fix: "${fix ?? ''}" must look like x=0.5 or y=-0.2 (the coordinate to keep)`);
    constraint = { kind: 'fix', axis: m[1] === 'x' ? 0 : 1, value: Number(m[2]) };
    about = { fix: m[1], value: constraint.value };
  } else {
    const degrees = numberFlag(args, 'angle', 0);
    constraint = { kind: 'line', angle: (degrees * Math.PI) / 180, value: numberFlag(args, 'value', 0) };
    about = { angleDegrees: degrees, value: constraint.value };
  }
  // The kept projection n . x = value in data coordinates (a fixed x is n = (1, 0), a fixed y n = (0, 1)).
  const angle = constraint.kind === 'fix' ? (constraint.axis === 0 ? 0 : Math.PI / 2) : constraint.angle;
  const value = constraint.value;
  const config = session.config;
  const count = intFlag(args, 'count', 2000, 100_000);
  const times = editTimesFlag(args, range, config.rho, range.T, DEFAULT_STEPS_2D);
  const f = session.consistencyFn('ema');
  const seeds = Array.from({ length: count }, (_, i) => (config.seed * 65_536 + i) >>> 0);
  const r = await conditionalSample2d({ f, constraint: normaliseConstraint2d(constraint, session.dataset2d!.normalisation), seeds, times, range });

  // Ground truth for comparison: data points within a thin band around the line.
  const truth = session.toDataCoordinates(session.dataset2d!.sample(200_000, new Rng(config.seed, 'cli-edit-truth')));
  const n = [Math.cos(angle), Math.sin(angle)];
  const along = (p: ArrayLike<number>, i: number) => -n[1] * p[2 * i] + n[0] * p[2 * i + 1];
  const spread = Math.sqrt(variance(truth));
  const band = 0.02 * spread;
  const conditional: number[] = [];
  for (let i = 0; i < truth.length / 2; i++) if (Math.abs(n[0] * truth[2 * i] + n[1] * truth[2 * i + 1] - value) < band) conditional.push(along(truth, i));

  const data = session.toDataCoordinates(session.evalTruth);
  const line = linePoints(data, n, value);
  const box = boundingBox(data, 0.5);
  const colours: [number, number, number][] = [[31, 119, 180], [214, 39, 40], [44, 160, 44], [148, 103, 189]];
  let result: Float64Array = new Float64Array(0);
  let outsideView = 0;
  r.iterates.forEach((x, k) => {
    const pts = session.toDataCoordinates(x);
    // Far-off samples of an undertrained model would shrink the data to a dot: plot those inside the view only.
    const shown = insideBox(pts, box);
    outsideView = (pts.length - shown.length) / 2;
    const layers: Layer[] = [{ points: data, rgb: [200, 200, 200], radius: 1.5 }, { points: line, rgb: [90, 90, 90], radius: 0.5 }, { points: shown, rgb: colours[k % colours.length], radius: 2 }];
    files.set(`step-${k + 1}.png`, encodePng(scatterRgba(layers), 512, 512));
    files.set(`step-${k + 1}.csv`, csv(pts));
    result = pts;
  });
  const samplesAlong = Array.from({ length: count }, (_, i) => along(result, i));
  const hist = histogramRgba(samplesAlong, conditional, 512, 200);
  files.set('along-line.png', encodePng(hist, 512, 200));
  let offLine = 0;
  for (let i = 0; i < count; i++) offLine = Math.max(offLine, Math.abs(n[0] * result[2 * i] + n[1] * result[2 * i + 1] - value));
  return {
    ...about, count, times,
    keptMaxAbsError: offLine,
    samplesOutsidePlot: outsideView,
    alongLine: {
      samples: moments(samplesAlong),
      dataNearLine: { ...moments(conditional), count: conditional.length, band },
      wasserstein1: conditional.length >= 20 ? wasserstein1(samplesAlong, conditional) : null,
    },
  };
}

function csv(points: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i + 1 < points.length; i += 2) s += `${points[i]},${points[i + 1]}\n`;
  return s;
}

function variance(points: Float64Array): number {
  let s = 0;
  for (let j = 0; j < 2; j++) {
    let m = 0;
    for (let i = j; i < points.length; i += 2) m += points[i];
    m /= points.length / 2;
    for (let i = j; i < points.length; i += 2) s += (points[i] - m) ** 2;
  }
  return s / points.length;
}

/** Dots along the line n . x = value across the data's bounding box (drawn under the samples). */
function linePoints(data: Float64Array, n: number[], value: number): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const out: number[] = [];
  const steps = 800;
  const L = 2 * Math.max(Math.abs(lo), Math.abs(hi)) + Math.abs(value);
  for (let k = 0; k <= steps; k++) {
    const s = -L + (2 * L * k) / steps;
    const x = n[0] * value - n[1] * s;
    const y = n[1] * value + n[0] * s;
    if (x >= lo && x <= hi && y >= lo && y <= hi) out.push(x, y);
  }
  return Float64Array.from(out);
}

function boundingBox(points: Float64Array, margin: number): number[] {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i + 1 < points.length; i += 2) {
    b[0] = Math.min(b[0], points[i]);
    b[1] = Math.min(b[1], points[i + 1]);
    b[2] = Math.max(b[2], points[i]);
    b[3] = Math.max(b[3], points[i + 1]);
  }
  const m = margin * Math.max(b[2] - b[0], b[3] - b[1]);
  return [b[0] - m, b[1] - m, b[2] + m, b[3] + m];
}

function insideBox(points: Float64Array, b: number[]): Float64Array {
  const out: number[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const [x, y] = [points[i], points[i + 1]];
    if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]) out.push(x, y);
  }
  return Float64Array.from(out);
}

/**
 * Densities along the line: edited samples as blue bars, data near the line as a black outline, on
 * shared bins over the central 99% of both.
 */
function histogramRgba(samples: number[], truth: number[], width: number, height: number): Uint8ClampedArray {
  const img = new Uint8ClampedArray(width * height * 4).fill(255);
  const all = [...samples, ...truth].sort((a, b) => a - b);
  const lo = all[Math.floor(0.005 * all.length)];
  const hi = all[Math.min(all.length - 1, Math.floor(0.995 * all.length))];
  if (!(hi > lo)) return img;
  const bins = 64;
  const density = (v: number[]) => {
    const h = new Float64Array(bins);
    for (const x of v) if (x >= lo && x <= hi) h[Math.min(bins - 1, Math.floor(((x - lo) / (hi - lo)) * bins))] += 1 / v.length;
    return h;
  };
  const hs = density(samples);
  const ht = truth.length ? density(truth) : new Float64Array(bins);
  const top = Math.max(...hs, ...ht) * 1.05;
  const px = (x: number, y: number, rgb: number[]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    img.set(rgb, (y * width + x) * 4);
  };
  const binW = width / bins;
  for (let k = 0; k < bins; k++) {
    const x0 = Math.round(k * binW);
    const x1 = Math.round((k + 1) * binW);
    const ys = height - 1 - Math.round((hs[k] / top) * (height - 1));
    const yt = height - 1 - Math.round((ht[k] / top) * (height - 1));
    for (let x = x0; x < x1 - 1; x++) for (let y = ys; y < height; y++) px(x, y, [31, 119, 180]);
    for (let x = x0; x < x1; x++) for (let d = 0; d < 2; d++) px(x, yt + d, [0, 0, 0]);
    // join the outline to the next bin's level
    const yn = k + 1 < bins ? height - 1 - Math.round((ht[k + 1] / top) * (height - 1)) : height - 1;
    for (let y = Math.min(yt, yn); y <= Math.max(yt, yn); y++) for (let d = 0; d < 2; d++) px(x1 - 1 + d, y, [0, 0, 0]);
  }
  return img;
}

function moments(v: number[]): { mean: number | null; std: number | null } {
  if (v.length < 2) return { mean: null, std: null };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  return { mean, std };
}

/** 1D Wasserstein-1 distance by matching quantiles. */
function wasserstein1(a: number[], b: number[]): number {
  const sa = [...a].sort((x, y) => x - y);
  const sb = [...b].sort((x, y) => x - y);
  const n = 200;
  let s = 0;
  for (let k = 0; k < n; k++) {
    const q = (k + 0.5) / n;
    s += Math.abs(sa[Math.floor(q * sa.length)] - sb[Math.floor(q * sb.length)]);
  }
  return s / n;
}
