// `cm edit`: zero-shot editing (Algorithm 4, reference section 9) with a saved run. Everything is checked
// and computed before the first byte is written, so bad input (exit 2) leaves --out untouched.
// MNIST: inpaint | superres | denoise | interpolate | stroke, as PNG strips. 2D: inpaint (--fix) | project.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import {
  addNoise, blockMeans, conditionalSample2d, denoise, editImage, editTimes, EditError, evenAlphas, interpolate, isMaskPreset,
  maskPreset, MASK_PRESETS, networkConsistencyFn, normaliseConstraint2d, paintedMask, seededEditNoise, seededLatent,
  validateEditTimes, type Constraint2d, type EditRange, type EditResult, type ImageEdit,
} from '../../core/edit/index';
import { MNIST_ASSET_PATH, mnistSignedPixels, parseMnistAsset } from '../../core/data/mnist';
import type { TrainingSession } from '../../core/run/session';
import { Rng } from '../../core/rng';
import { UsageError, type ParsedArgs } from '../args';
import { encodePng } from '../png';
import { imageGridRgba, scatterRgba, type Layer } from '../plot';
import { checkOutDir, intFlag } from './common';
import { openRun } from './sampleEval';

const IMAGE_TASKS = ['inpaint', 'superres', 'denoise', 'interpolate', 'stroke'] as const;
const TASKS_2D = ['inpaint', 'project'] as const;
const SIDE = 28;
const DEFAULT_STEPS = 4;
// 2D steps are cheap, and replacement needs several low-noise steps to pull samples onto the conditional.
const DEFAULT_STEPS_2D = 10;
const STROKE_T1 = 4;

type Files = Map<string, Uint8Array | string>;

export async function editCommand(args: ParsedArgs): Promise<number> {
  const out = checkOutDir(args);
  const task = stringFlag(args, 'task');
  if (!task) throw new UsageError(`--task is required (${IMAGE_TASKS.join('|')} for MNIST runs, ${TASKS_2D.join('|')} for 2D runs)`);
  const { session, config, backend } = await openRun(args, 2000);
  try {
    const range: EditRange = { eps: config.eps, T: config.T };
    const files: Files = new Map();
    let summary: Record<string, unknown>;
    try {
      summary = session.dataset2d ? await edit2d(args, session, task, range, files) : await editImages(args, session, task, range, files);
    } catch (e) {
      if (e instanceof EditError) throw new UsageError(e.message);
      throw e;
    }
    mkdirSync(out, { recursive: true });
    for (const [name, bytes] of files) writeFileSync(join(out, name), bytes);
    const json = { task, run: resolve(String(args.flags.run)), backend, ...summary, files: [...files.keys(), 'edit.json'] };
    writeFileSync(join(out, 'edit.json'), `${JSON.stringify(json, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(json)}\n`);
    return 0;
  } finally {
    session.dispose();
  }
}

// ---------------------------------------------------------------- flags

function stringFlag(args: ParsedArgs, name: 'task' | 'mask' | 'times' | 'seeds' | 'image' | 'fix' | 'mnist-asset' | 't1' | 'sigma' | 'factor' | 'index' | 'angle' | 'value'): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

function numberFlag(args: ParsedArgs, name: 't1' | 'sigma' | 'angle' | 'value', fallback: number): number {
  const raw = stringFlag(args, name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name}: "${raw}" is not a number`);
  return v;
}

function numberList(raw: string, name: string): number[] {
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (raw.trim() === '' || values.some((v) => !Number.isFinite(v))) throw new UsageError(`--${name}: "${raw}" must be comma-separated numbers`);
  return values;
}

/** --times (all of them) or --t1 (then a Karras grid down to eps); validated against [eps, T]. */
function editTimesFlag(args: ParsedArgs, range: EditRange, rho: number, defaultT1: number, steps = DEFAULT_STEPS): number[] {
  const list = stringFlag(args, 'times');
  let times: number[];
  if (list !== undefined) {
    if (stringFlag(args, 't1') !== undefined) throw new UsageError('give either --t1 or --times (the first of --times is t_1)');
    times = numberList(list, 'times');
  } else {
    const t1 = numberFlag(args, 't1', defaultT1);
    validateEditTimes([t1], range);
    times = t1 === range.eps ? [t1] : editTimes(t1, steps, { eps: range.eps, rho });
  }
  validateEditTimes(times, range);
  return times;
}

function seedsFlag(args: ParsedArgs, fallback: number[]): number[] {
  const raw = stringFlag(args, 'seeds');
  if (raw === undefined) return fallback;
  const seeds = numberList(raw, 'seeds');
  if (seeds.some((s) => !Number.isInteger(s) || s < 0 || s > 0xffffffff)) throw new UsageError(`--seeds: "${raw}" must be non-negative integers`);
  return seeds;
}

// ---------------------------------------------------------------- images (MNIST)

async function editImages(args: ParsedArgs, session: TrainingSession, task: string, range: EditRange, files: Files): Promise<Record<string, unknown>> {
  if (!(IMAGE_TASKS as readonly string[]).includes(task)) throw new UsageError(`--task: "${task}" is not an image edit (${IMAGE_TASKS.join('|')})`);
  const shape = session.data.dataShape;
  const dim = shape.reduce((a, b) => a * b, 1);
  if (shape[0] !== SIDE || shape[1] !== SIDE || dim !== SIDE * SIDE) throw new UsageError(`image edits need 28x28x1 data; this run has [${shape}]`);
  const f = networkConsistencyFn(session.net, session.samplingParams('ema'), shape, session.scalings(), true);
  const config = session.config;

  if (task === 'interpolate') {
    const seeds = seedsFlag(args, [0, 1]);
    if (seeds.length !== 2) throw new UsageError(`--seeds: interpolation needs exactly two seeds (got ${seeds.length})`);
    const alphas = evenAlphas(intFlag(args, 'count', 9, 64));
    const r = await interpolate(f, seededLatent(seeds[0], dim), seededLatent(seeds[1], dim), alphas, range.T);
    files.set('latents.png', gridPng(Float32Array.from(r.latents, (v) => v / 3), alphas.length, alphas.length));
    files.set('strip.png', gridPng(r.samples, alphas.length, alphas.length));
    return { seeds, alphas, T: range.T };
  }

  const seeds = seedsFlag(args, [0, 1, 2, 3, 4, 5, 6, 7]);
  if (task === 'stroke') {
    const stroke = stringFlag(args, 'image') !== undefined ? readImageFlag(args, 'image') : ringStroke();
    const drawing = Float32Array.from(stroke, (v) => 2 * v - 1);
    const times = editTimesFlag(args, range, config.rho, Math.min(STROKE_T1, range.T));
    const r = await editImage({ f, image: drawing, height: SIDE, width: SIDE, edit: { kind: 'stroke' }, seeds, times, range });
    writeStrips(files, drawing, r);
    return { seeds, stroke: stringFlag(args, 'image') ?? 'ring', times };
  }

  const digits = loadDigits(args);
  const index = indexFlag(args, digits.count);
  const y = mnistSignedPixels(digits, [index]);
  const about = { index, label: digits.labels[index] };

  if (task === 'denoise') {
    const sigma = numberFlag(args, 'sigma', 0.5);
    const z = seededEditNoise(seeds, 1, dim)[0];
    const noisy = addNoise(y, sigma, z);
    const clean = await denoise(f, noisy, sigma, seeds.length, range);
    files.set('input.png', gridPng(y, 1, 1));
    files.set('noisy.png', gridPng(noisy, seeds.length, seeds.length));
    files.set('result.png', gridPng(clean, seeds.length, seeds.length));
    return { ...about, seeds, sigma, times: [sigma], meanAbsErrorNoisy: meanAbs(noisy, y), meanAbsErrorDenoised: meanAbs(clean, y) };
  }

  let edit: ImageEdit;
  let extra: Record<string, unknown>;
  if (task === 'inpaint') {
    const name = stringFlag(args, 'mask') ?? 'left-half';
    const mask = isMaskPreset(name) ? maskPreset(name, SIDE, SIDE) : paintedMask(readImageFlag(args, 'mask'), SIDE, SIDE);
    edit = { kind: 'inpaint', mask };
    files.set('mask.png', gridPng(Float32Array.from(mask, (v) => 2 * v - 1), 1, 1));
    extra = { mask: name, regenerated: mask.reduce((a, b) => a + b, 0) };
  } else {
    const p = Number(stringFlag(args, 'factor') ?? 4);
    if (p !== 2 && p !== 4) throw new UsageError(`--factor: "${stringFlag(args, 'factor')}" must be 2 or 4`);
    edit = { kind: 'superres', factor: p };
    extra = { factor: p };
  }
  const times = editTimesFlag(args, range, config.rho, range.T);
  const r = await editImage({ f, image: y, height: SIDE, width: SIDE, edit, seeds, times, range });
  writeStrips(files, y, r);
  const last = r.iterates[r.iterates.length - 1];
  const keptMaxAbsError = edit.kind === 'inpaint' ? keptPixelError(last, y, edit.mask) : blockMeanError(last, y, edit.factor);
  return { ...about, seeds, ...extra, times, keptMaxAbsError };
}

function loadDigits(args: ParsedArgs) {
  const path = stringFlag(args, 'mnist-asset') ?? join('public', MNIST_ASSET_PATH);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new UsageError(`--mnist-asset: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); build it with "node scripts/build-mnist-asset.mjs"`);
  }
  try {
    return parseMnistAsset(bytes);
  } catch (e) {
    throw new UsageError(`--mnist-asset: ${(e as Error).message}`);
  }
}

function indexFlag(args: ParsedArgs, count: number): number {
  const raw = stringFlag(args, 'index');
  const v = raw === undefined ? 9 : Number(raw); // 9: the first digit of the held-out split
  if (!Number.isInteger(v) || v < 0 || v >= count) throw new UsageError(`--index: "${raw}" must be an integer in [0, ${count - 1}]`);
  return v;
}

/** Inputs and steps: input.png (y), start.png (y0 per seed), steps.png (rows = seeds: y0, x_1, ..., x_N), result.png. */
function writeStrips(files: Files, y: Float32Array, r: EditResult): void {
  const dim = y.length;
  const cols = r.iterates.length + 1;
  const strip = new Float32Array(r.batch * cols * dim);
  for (let b = 0; b < r.batch; b++) {
    strip.set(r.start.subarray(b * dim, (b + 1) * dim), (b * cols) * dim);
    r.iterates.forEach((x, n) => strip.set(x.subarray(b * dim, (b + 1) * dim), (b * cols + n + 1) * dim));
  }
  files.set('input.png', gridPng(y, 1, 1));
  files.set('start.png', gridPng(r.start.subarray(0, dim), 1, 1));
  files.set('steps.png', gridPng(strip, r.batch * cols, cols));
  files.set('result.png', gridPng(r.iterates[r.iterates.length - 1], r.batch, Math.min(r.batch, 8)));
}

function gridPng(images: Float32Array, n: number, cols: number): Uint8Array {
  const g = imageGridRgba(images, n, SIDE, SIDE, cols, 3);
  return encodePng(g.rgba, g.width, g.height);
}

function meanAbs(x: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i] - y[i % y.length]);
  return s / x.length;
}

function keptPixelError(x: Float32Array, y: Float32Array, mask: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) if (mask[i % y.length] === 0) worst = Math.max(worst, Math.abs(x[i] - y[i % y.length]));
  return worst;
}

function blockMeanError(x: Float32Array, y: Float32Array, p: number): number {
  const want = blockMeans(y, SIDE, SIDE, p);
  const got = blockMeans(x, SIDE, SIDE, p);
  let worst = 0;
  for (let k = 0; k < got.length; k++) worst = Math.max(worst, Math.abs(got[k] - want[k % want.length]));
  return worst;
}

/** A rough "0": a ring of ink on black, grey levels in [0, 1]. */
function ringStroke(): Float32Array {
  const out = new Float32Array(SIDE * SIDE);
  for (let r = 0; r < SIDE; r++) {
    for (let c = 0; c < SIDE; c++) {
      const d = Math.hypot((r - 13.5) / 1.25, c - 13.5);
      out[r * SIDE + c] = Math.max(0, Math.min(1, 1.6 - Math.abs(d - 7)));
    }
  }
  return out;
}

// ---------------------------------------------------------------- PNG input (masks, strokes)

/** A 28x28 8-bit PNG (grey, grey+alpha, RGB or RGBA; not interlaced) as grey levels in [0, 1]. */
function readImageFlag(args: ParsedArgs, name: 'mask' | 'image'): Float32Array {
  const path = stringFlag(args, name)!;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    const hint = name === 'mask' ? ` (or a preset: ${MASK_PRESETS.join(', ')})` : '';
    throw new UsageError(`--${name}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})${hint}`);
  }
  let img;
  try {
    img = decodePngGrey(bytes);
  } catch (e) {
    throw new UsageError(`--${name}: ${path}: ${(e as Error).message}`);
  }
  if (img.width !== SIDE || img.height !== SIDE) throw new UsageError(`--${name}: ${path} is ${img.width}x${img.height}; the digits are ${SIDE}x${SIDE}`);
  return img.grey;
}

function decodePngGrey(bytes: Uint8Array): { width: number; height: number; grey: Float32Array } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 8 || sig.some((b, i) => bytes[i] !== b)) throw new Error('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  for (let o = 8; o + 8 <= bytes.length;) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    const data = bytes.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
      const [depth, colour, , , interlace] = data.subarray(8, 13);
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colour] ?? 0;
      if (depth !== 8 || channels === 0 || interlace !== 0) throw new Error('only 8-bit, non-interlaced grey/RGB(A) PNGs are supported');
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    o += 12 + len;
  }
  if (!channels || idat.length === 0) throw new Error('the PNG has no image data');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(height * stride);
  for (let r = 0; r < height; r++) {
    const filter = raw[r * (stride + 1)];
    const line = raw.subarray(r * (stride + 1) + 1, (r + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? px[r * stride + i - channels] : 0;
      const b = r > 0 ? px[(r - 1) * stride + i] : 0;
      const c = r > 0 && i >= channels ? px[(r - 1) * stride + i - channels] : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      px[r * stride + i] = (line[i] + pred) & 0xff;
    }
  }
  const grey = new Float32Array(width * height);
  for (let k = 0; k < width * height; k++) {
    const p = px.subarray(k * channels, (k + 1) * channels);
    const level = channels >= 3 ? (p[0] + p[1] + p[2]) / 3 : p[0];
    const alpha = channels === 2 ? p[1] : channels === 4 ? p[3] : 255;
    grey[k] = (level / 255) * (alpha / 255); // transparent = nothing painted
  }
  return { width, height, grey };
}

// ---------------------------------------------------------------- 2D

async function edit2d(args: ParsedArgs, session: TrainingSession, task: string, range: EditRange, files: Files): Promise<Record<string, unknown>> {
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
  const f = networkConsistencyFn(session.net, session.samplingParams('ema'), [2], session.scalings(), false);
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
