// `cm edit` on MNIST runs: inpaint | superres | denoise | interpolate | stroke, written as PNG strips.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addNoise, blockMeans, denoise, editImage, evenAlphas, interpolate, isMaskPreset, maskPreset, paintedMask, seededEditNoise, seededLatent, type EditRange, type EditResult, type ImageEdit } from '../../core/edit/index';
import { MNIST_ASSET_PATH, mnistSignedPixels, parseMnistAsset } from '../../core/data/mnist';
import type { TrainingSession } from '../../core/run/session';
import { UsageError, type ParsedArgs } from '../args';
import { encodePng } from '../png';
import { imageGridRgba } from '../plot';
import { intFlag } from './common';
import { IMAGE_TASKS, SIDE, STROKE_T1, type Files, stringFlag, numberFlag, editTimesFlag, seedsFlag } from './editFlags';
import { readImageFlag } from './editPngInput';

export async function editImages(args: ParsedArgs, session: TrainingSession, task: string, range: EditRange, files: Files): Promise<Record<string, unknown>> {
  if (!(IMAGE_TASKS as readonly string[]).includes(task)) throw new UsageError(`--task: "${task}" is not an image edit (${IMAGE_TASKS.join('|')})`);
  const shape = session.data.dataShape;
  const dim = shape.reduce((a, b) => a * b, 1);
  if (shape[0] !== SIDE || shape[1] !== SIDE || dim !== SIDE * SIDE) throw new UsageError(`image edits need 28x28x1 data; this run has [${shape}]`);
  const f = session.consistencyFn('ema');
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
