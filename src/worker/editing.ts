// The worker's side of zero-shot editing (reference section 9): turns an `edit` command into calls of
// the editing core with the session's current model, and the result into a reply of transferable arrays.
// The worker only dispatches here; every check of the user's input happens in the core (EditError).
import {
  addNoise, conditionalSample2d, denoise, editImage, editTimes, EditError, evenAlphas, interpolate,
  paintedMask, seededEditNoise, seededLatent, validateEditTimes, type ConsistencyFn, type EditRange, type EditResult, type ImageEdit,
} from '../core/edit/index';
import { mnistSignedPixels } from '../core/data/mnist';
import type { MnistSource } from '../core/run/imageData';
import type { TrainingSession } from '../core/run/session';
import type { EditReply, EditRequest } from './protocol';

const IMAGE_TASKS = new Set(['reference', 'inpaint', 'superres', 'denoise', 'interpolate', 'stroke']);
const MAX_SEEDS = 256;
const MAX_SEEDS_2D = 4096;
const MAX_STEPS = 40;

function mnistOf(s: TrainingSession): MnistSource {
  const d = s.data as Partial<MnistSource>;
  if (!d.digits || !d.heldOut) throw new EditError('bad-input', 'this run has no MNIST digits to edit');
  return d as MnistSource;
}

/** The reference digit: position k of the held-out split (never trained on), wrapping around. */
function referenceDigit(s: TrainingSession, position = 0): { y: Float32Array; digit: NonNullable<EditReply['digit']> } {
  const m = mnistOf(s);
  if (!Number.isInteger(position)) throw new EditError('bad-input', `the digit number must be an integer (got ${position})`);
  const k = ((position % m.heldOut.length) + m.heldOut.length) % m.heldOut.length;
  const index = m.heldOut[k];
  return { y: mnistSignedPixels(m.digits, [index]), digit: { index, label: m.digits.labels[index], position: k } };
}

function checkSeeds(seeds: readonly number[], max: number, min = 1): void {
  if (!Array.isArray(seeds) || seeds.length < min) throw new EditError('bad-input', `at least ${min} seed${min === 1 ? ' is' : 's are'} needed`);
  if (seeds.length > max) throw new EditError('bad-input', `at most ${max} seeds at once (got ${seeds.length})`);
  if (seeds.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) throw new EditError('bad-input', 'seeds must be non-negative integers');
}

/** The request's times, or a Karras grid from t1 (default T) down to eps in `steps` steps. */
export function requestTimes(req: EditRequest, range: EditRange, rho: number, defaultT1 = range.T): number[] {
  if (req.times) {
    validateEditTimes(req.times, range);
    return [...req.times];
  }
  const t1 = req.t1 ?? defaultT1;
  const steps = req.steps ?? 1;
  validateEditTimes([t1], range);
  if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS) throw new EditError('bad-times', `the number of steps must be an integer in [1, ${MAX_STEPS}] (got ${steps})`);
  // At t1 = eps there is no room for a grid: one step that changes nothing but the projection.
  const times = t1 === range.eps ? [t1] : editTimes(t1, steps, { eps: range.eps, rho });
  validateEditTimes(times, range);
  return times;
}

function reply(req: EditRequest, s: TrainingSession, r: EditResult, extra: Partial<EditReply> = {}): EditReply {
  const last = r.iterates[r.iterates.length - 1];
  return {
    task: req.task, dataShape: [...s.data.dataShape], batch: r.batch, reference: null, digit: null,
    start: r.start, iterates: r.iterates, times: r.times, result: last.slice(), ms: 0, ...extra,
  };
}

/** The user stopped the edit; nothing of it is kept. */
export class EditAbortedError extends Error {
  override name = 'EditAbortedError';
  constructor() {
    super('the edit was cancelled');
  }
}

let running: AbortController | null = null;

/** Stops the running edit before its next network evaluation; false when none runs. */
export function abortEdit(): boolean {
  if (!running) return false;
  running.abort();
  return true;
}

/**
 * f, but each call first yields to the worker's message queue (so an abort command is read between
 * steps, not after the whole edit) and stops when the edit was aborted.
 */
function abortable(f: ConsistencyFn, signal: AbortSignal): ConsistencyFn {
  return async (x, t, batch) => {
    await new Promise((r) => setTimeout(r, 0));
    if (signal.aborted) throw new EditAbortedError();
    return f(x, t, batch);
  };
}

/** Runs one edit with the session's current model (the caller pauses training first). */
export async function runEdit(s: TrainingSession, req: EditRequest): Promise<EditReply> {
  const t0 = performance.now();
  const controller = new AbortController();
  running = controller;
  try {
    const out = await dispatch(s, req, controller.signal);
    if (controller.signal.aborted) throw new EditAbortedError();
    out.ms = performance.now() - t0;
    return out;
  } finally {
    if (running === controller) running = null;
  }
}

async function dispatch(s: TrainingSession, req: EditRequest, signal: AbortSignal): Promise<EditReply> {
  const c = s.config;
  const range: EditRange = { eps: c.eps, T: c.T };
  const shape = s.data.dataShape;
  const dim = shape.reduce((a, b) => a * b, 1);
  const image = !s.dataset2d;
  if (image !== IMAGE_TASKS.has(req.task)) {
    throw new EditError('bad-input', image ? `"${req.task}" is a 2D edit; this run is on images` : `"${req.task}" is an image edit; this run is 2D`);
  }
  if (req.task === 'reference') {
    const { y, digit } = referenceDigit(s, req.digit);
    return { task: req.task, dataShape: [...shape], batch: 1, reference: y, digit, start: y.slice(), iterates: [], times: [], result: y.slice(), ms: 0 };
  }
  const f = abortable(s.consistencyFn(req.weights ?? 'ema'), signal);

  if (req.task === 'fix2d' || req.task === 'line2d') {
    const k = req.constraint;
    if (!k || (req.task === 'fix2d') !== (k.kind === 'fix')) throw new EditError('bad-input', `${req.task} needs a ${req.task === 'fix2d' ? 'fixed coordinate' : 'line'} constraint`);
    if (![k.value, k.kind === 'line' ? k.angle : 0].every(Number.isFinite)) throw new EditError('bad-input', 'the constraint has a non-finite value');
    checkSeeds(req.seeds, MAX_SEEDS_2D);
    const times = requestTimes(req, range, c.rho);
    const r = await conditionalSample2d({ f, constraint: k, seeds: req.seeds, times, range });
    return reply(req, s, r);
  }

  const side = { height: shape[0], width: shape[1], channels: shape[2] ?? 1 };
  if (req.task === 'interpolate') {
    checkSeeds(req.seeds, 2, 2);
    const alphas = evenAlphas(req.count ?? 9);
    if (alphas.length > 64) throw new EditError('bad-input', `at most 64 points on the path (got ${alphas.length})`);
    const r = await interpolate(f, seededLatent(req.seeds[0], dim), seededLatent(req.seeds[1], dim), alphas, range.T);
    return {
      task: req.task, dataShape: [...shape], batch: alphas.length, reference: null, digit: null,
      start: r.latents, iterates: [r.samples], times: [range.T], result: r.samples.slice(), alphas, ms: 0,
    };
  }
  checkSeeds(req.seeds, MAX_SEEDS);

  if (req.task === 'stroke') {
    const drawing = req.image;
    if (!drawing || drawing.length !== dim) throw new EditError('bad-input', `the drawing has ${drawing?.length ?? 0} values; a ${side.height}x${side.width} image needs ${dim}`);
    const times = requestTimes(req, range, c.rho, Math.min(4, range.T));
    const r = await editImage({ f, image: drawing, ...side, edit: { kind: 'stroke' }, seeds: req.seeds, times, range });
    return reply(req, s, r);
  }

  const { y, digit } = referenceDigit(s, req.digit);
  if (req.task === 'denoise') {
    const sigma = req.sigma ?? 0.5;
    const noisy = addNoise(y, sigma, seededEditNoise(req.seeds, 1, dim)[0]);
    const clean = await denoise(f, noisy, sigma, req.seeds.length, range);
    return {
      task: req.task, dataShape: [...shape], batch: req.seeds.length, reference: y, digit,
      start: noisy, iterates: [clean], times: [sigma], result: clean.slice(), ms: 0,
    };
  }
  let edit: ImageEdit;
  if (req.task === 'inpaint') {
    if (!req.mask) throw new EditError('bad-mask', 'inpainting needs a mask (paint the region to regenerate)');
    edit = { kind: 'inpaint', mask: paintedMask(req.mask, side.height, side.width, side.channels) };
  } else {
    const p = req.factor ?? 4;
    if (side.height % p !== 0 || side.width % p !== 0 || !Number.isInteger(p) || p < 2) {
      throw new EditError('bad-input', `super-resolution factor ${p} does not split a ${side.height}x${side.width} image into blocks`);
    }
    edit = { kind: 'superres', factor: p };
  }
  const times = requestTimes(req, range, c.rho);
  const r = await editImage({ f, image: y, ...side, edit, seeds: req.seeds, times, range });
  return reply(req, s, r, { reference: y, digit });
}

/** The buffers of a reply, to transfer instead of copy (each array owns a distinct buffer). */
export function editTransfer(r: EditReply): Transferable[] {
  const arrays = [r.start, r.result, ...r.iterates, ...(r.reference ? [r.reference] : [])];
  const seen = new Set<ArrayBufferLike>();
  for (const a of arrays) seen.add(a.buffer);
  return [...seen] as Transferable[];
}
