// The page's edit settings as a worker request. Numbers typed by the user pass through unchecked: the
// worker's editing core judges them and its message is what the user sees. Lives with the state (the
// edit store sends these requests) and is read by the edit UI; it imports nothing from src/ui.
import type { EditConstraint2d, EditRequest } from '../../worker/protocol';

/** How a drag on the 2D plane becomes a constraint: a line through it, or a fixed x or y. */
export type Mode2d = 'line' | 'fix-x' | 'fix-y';

export const IMAGE_TASKS = ['inpaint', 'superres', 'denoise', 'interpolate', 'stroke'] as const;
export type ImageTask = (typeof IMAGE_TASKS)[number];

export const IMAGE_TASK_LABELS: Record<ImageTask, string> = {
  inpaint: 'Inpainting',
  superres: 'Super-resolution',
  denoise: 'Denoising',
  interpolate: 'Interpolation',
  stroke: 'Stroke-guided generation',
};

export interface EditInputs {
  task: ImageTask;
  /** Position in the held-out split. */
  digit: number;
  /** 1 = regenerate, one per pixel. */
  mask: Uint8Array;
  /** Ink in [0, 1], one per pixel. */
  stroke: Float32Array;
  factor: number;
  sigma: number;
  seedBase: number;
  seedCount: number;
  /** Raw text of the t_1 box; empty = the worker's default (T, or 4 for strokes). */
  t1Text: string;
  steps: number;
  interpSeeds: [number, number];
  interpCount: number;
}

export interface PlaneInputs {
  constraint: EditConstraint2d | null;
  count: number;
  t1Text: string;
  steps: number;
}

/** Ink levels in [0, 1] (0 = background) as the model's pixel range [-1, 1]. */
export function inkToSigned(ink: ArrayLike<number>): Float32Array {
  return Float32Array.from(ink as ArrayLike<number>, (v) => 2 * Math.min(1, Math.max(0, v)) - 1);
}

export function seedList(base: number, count: number): number[] {
  return Array.from({ length: Math.max(0, Math.floor(count)) }, (_, i) => base + i);
}

/** '' means "use the default"; anything else becomes a number (NaN too, so the worker can say why). */
export function parseT1(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

export function imageEditRequest(s: EditInputs): EditRequest {
  const seeds = seedList(s.seedBase, s.seedCount);
  const timed = { t1: parseT1(s.t1Text), steps: s.steps };
  switch (s.task) {
    case 'inpaint':
      return { task: 'inpaint', digit: s.digit, mask: s.mask.slice(), seeds, ...timed };
    case 'superres':
      return { task: 'superres', digit: s.digit, factor: s.factor, seeds, ...timed };
    case 'denoise':
      return { task: 'denoise', digit: s.digit, sigma: s.sigma, seeds };
    case 'interpolate':
      return { task: 'interpolate', seeds: [...s.interpSeeds], count: s.interpCount };
    case 'stroke':
      return { task: 'stroke', image: inkToSigned(s.stroke), seeds, ...timed };
  }
}

/** null when there is no constraint yet (nothing dragged). */
export function planeEditRequest(s: PlaneInputs): EditRequest | null {
  if (!s.constraint) return null;
  return {
    task: s.constraint.kind === 'fix' ? 'fix2d' : 'line2d', constraint: { ...s.constraint }, seeds: seedList(0, s.count),
    t1: parseT1(s.t1Text), steps: s.steps,
  };
}
