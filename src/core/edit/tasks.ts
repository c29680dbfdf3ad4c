// One call per editing task, for the page's worker and the CLI: plain arrays in, iterates out.
import type { Normalisation } from '../data/mixture';
import { zeroShotEdit, type EditRange, type EditResult } from './algorithm4';
import type { ConsistencyFn } from './consistencyFn';
import { EditError } from './errors';
import { seededEditNoise } from './noise';
import {
  fixCoordinateProblem2d, fixCoordinateReference2d, inpaintingProblem, lineProjectionProblem2d, lineReference2d,
  superResolutionProblem, type EditProblem,
} from './problems';

export type ImageEdit =
  | { kind: 'inpaint'; /** Omega over the pixels: 1 = regenerate. */ mask: Float32Array }
  | { kind: 'superres'; /** block size p (2 or 4 for 28x28) */ factor: number }
  | { kind: 'stroke' };

export interface ImageEditRequest {
  f: ConsistencyFn;
  /** The reference image (or the stroke drawing) in [-1, 1], HWC row-major. */
  image: Float32Array;
  height: number;
  width: number;
  channels?: number;
  edit: ImageEdit;
  /** One completion per seed. */
  seeds: readonly number[];
  times: readonly number[];
  range: EditRange;
  onIterate?: (n: number, x: Float32Array) => void;
}

/** Inpainting, super-resolution or stroke-guided generation of one image, one completion per seed. */
export async function editImage(req: ImageEditRequest): Promise<EditResult> {
  const { height: h, width: w, channels = 1, edit } = req;
  const dim = h * w * channels;
  if (req.image.length !== dim) throw new EditError('bad-input', `the image has ${req.image.length} values; a ${h}x${w}x${channels} image needs ${dim}`);
  let problem: EditProblem | null = null;
  if (edit.kind === 'inpaint') {
    if (edit.mask.length !== dim) throw new EditError('bad-mask', `the mask has ${edit.mask.length} entries; a ${h}x${w}x${channels} image needs ${dim}`);
    problem = inpaintingProblem(edit.mask);
  } else if (edit.kind === 'superres') {
    problem = superResolutionProblem(h, w, edit.factor, channels);
  }
  return zeroShotEdit({
    f: req.f, dim, reference: req.image, problem, times: req.times, noise: seededEditNoise(req.seeds, req.times.length, dim),
    range: req.range, onIterate: req.onIterate,
  });
}

/** A 2D constraint in the data's own coordinates: keep x (or y) = value, or keep n . p = value, n = (cos a, sin a). */
export type Constraint2d = { kind: 'fix'; axis: 0 | 1; value: number } | { kind: 'line'; angle: number; value: number };

/**
 * The same constraint in the model's normalised coordinates x_norm = (x - shift) scale. The scale is
 * isotropic, so a line keeps its direction: n . x = c  <=>  n . x_norm = scale (c - n . shift).
 */
export function normaliseConstraint2d(c: Constraint2d, t: Normalisation): Constraint2d {
  if (c.kind === 'fix') return { ...c, value: (c.value - t.shift[c.axis]) * t.scale };
  return { ...c, value: t.scale * (c.value - Math.cos(c.angle) * t.shift[0] - Math.sin(c.angle) * t.shift[1]) };
}

export interface ConditionalRequest2d {
  f: ConsistencyFn;
  /** In normalised coordinates (see normaliseConstraint2d). */
  constraint: Constraint2d;
  /** One sample per seed. */
  seeds: readonly number[];
  times: readonly number[];
  range: EditRange;
}

/** Conditional sampling in 2D: samples that respect a kept coordinate or a kept projection (a line). */
export async function conditionalSample2d(req: ConditionalRequest2d): Promise<EditResult> {
  const c = req.constraint;
  const [problem, reference] = c.kind === 'fix'
    ? [fixCoordinateProblem2d(c.axis), fixCoordinateReference2d(c.axis, c.value)]
    : [lineProjectionProblem2d(c.angle), lineReference2d(c.angle, c.value)];
  return zeroShotEdit({ f: req.f, dim: 2, reference, problem, times: req.times, noise: seededEditNoise(req.seeds, req.times.length, 2), range: req.range });
}
