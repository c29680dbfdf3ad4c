// ECT, easy consistency tuning (Geng et al., ICLR 2025; few-step-methods.md section 3): consistency
// training started from a diffusion model. f(x_t, t) matches sg f(x_r, r) of the ONLINE net at
// r = t (1 - n(t)/q^(s+1)), the same noise in both points, and Delta t = t - r shrinks stage by stage.
// f uses EDM's unshifted scalings in training and sampling (boundary f(x, 0) = x exactly), so at step 0
// f is the teacher's denoiser D (sheet 3.1 and 3.7; the sheet's 0.003 eval shift is < 1 % and left out).
// With the exact 2D teacher the first `ectPrefitSteps` steps fit f to D*(x_t, t), making it a teacher.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config';
import { cIn, cNoise, edmOut, edmSkip } from '../cm/parameterisation';
import { filled, mapValues, perSample, sampleSize } from '../tensorUtil';
import { batchShape, perRow } from './common';
import { edmTime } from './timeConventions';
import type { MethodContext, MethodDraws, TrainingMethod, UnitNoise } from './types';

export interface EctDraws extends MethodDraws {
  eps: Float32Array;
  t: Float64Array;
  r: Float64Array;
  /** True while the run fits the exact denoiser first (2D, teacher = exact). */
  prefit: boolean;
}

/** r = max(0, t (1 - n(t)/q^(stage+1))), n(t) = 1 + k sigmoid(-b t) (ECT code training/loss.py:45-50). */
export function ectR(t: number, stage: number, q: number, k: number, b: number): number {
  const n = 1 + k / (1 + Math.exp(b * t));
  return Math.max(t * (1 - n / q ** (stage + 1)), 0);
}

/** Steps of the exact pre-fit in this run (0 without the exact teacher). */
export function ectPrefitSteps(c: Config, hasExact: boolean): number {
  return hasExact && c.teacher === 'exact' ? c.ectPrefitSteps : 0;
}

/** Stage s = floor(iterations since tuning began / steps per stage); 8 stages over the rest of the budget by default. */
export function ectStage(c: Config, step: number, prefit: number): number {
  const perStage = c.ectStageSteps > 0 ? c.ectStageSteps : Math.max(1, Math.ceil((c.steps - prefit) / 8));
  return Math.floor(Math.max(0, step - prefit) / perStage);
}

/**
 * f_theta(x, t) = c_skip x + c_out F(c_in x, c_noise) with EDM's unshifted scalings. Rows with t = 0 get
 * c_skip = 1, c_out = 0 and a finite c_noise, so f(x, 0) = x exactly.
 */
export function ectF(ctx: MethodContext, params: readonly tf.Tensor[], x: tf.Tensor, t: ArrayLike<number>): tf.Tensor {
  const c = ctx.config;
  const sd = c.sigmaData;
  const r = x.rank;
  const safe = mapValues(t, (v) => Math.max(v, c.eps));
  const skip = perSample(mapValues(t, (v) => edmSkip(v, sd)), r);
  const out = perSample(mapValues(t, (v) => edmOut(v, sd)), r);
  const inp = perSample(mapValues(t, (v) => cIn(v, sd)), r);
  const noise = tf.tensor1d(Float32Array.from(safe, (v) => cNoise(v, c.cNoiseConvention)));
  return tf.add(tf.mul(skip, x), tf.mul(out, ctx.net.forward(params, tf.mul(inp, x), noise)));
}

function noisy(x0: Float32Array, eps: Float32Array, t: Float64Array): Float32Array {
  const size = x0.length / t.length;
  return Float32Array.from(x0, (v, j) => v + t[Math.floor(j / size)] * eps[j]);
}

type EctTarget = tf.Tensor;

/**
 * Per-row loss (sqrt(|f - y|^2 + c^2) - c) / (t - r) from the squared distances [B] (loss.py:85-92).
 * With c = 0 a 1e-20 floor keeps the gradient of the norm finite where f = y.
 */
export function ectRowLoss(sqDistance: tf.Tensor1D, t: ArrayLike<number>, r: ArrayLike<number>, c: number): tf.Tensor1D {
  const per = tf.sub(tf.sqrt(tf.add(sqDistance, c * c + 1e-20)), c);
  return tf.mul(per, tf.tensor1d(Float32Array.from(t, (v, i) => 1 / (v - r[i]))));
}

export const ectMethod: TrainingMethod<EctDraws, EctTarget> = {
  id: 'ect',
  time: edmTime,
  timeInputs: 1,
  jumps: 'data-end',
  needsTeacher: 'init',
  targetDecay: () => 0, // the online net under no_grad (loss.py:66-79)

  draw(ctx, rng, step) {
    const c = ctx.config;
    const B = c.batchSize;
    const x0 = ctx.data.sample(B, rng.data);
    const t = Float64Array.from({ length: B }, () => Math.min(c.T, Math.max(c.eps, Math.exp(c.Pm + c.Ps * rng.train.normal()))));
    const eps = rng.train.normals(B * sampleSize(ctx.dataShape));
    const pre = ectPrefitSteps(c, ctx.exact !== null);
    const stage = ectStage(c, step, pre);
    const r = mapValues(t, (v) => ectR(v, stage, c.ectQ, c.ectK, c.ectB));
    return { x0, eps, t, r, prefit: step < pre };
  },

  target(ctx, params, d) {
    const shape = batchShape(ctx, d.t.length);
    if (d.prefit) return ctx.exact!.denoise(tf.tensor(noisy(d.x0, d.eps, d.t), shape), d.t);
    // y = f(x_r, r) where r > 0, else x_0 (the code's nan_to_num, done by a mask before the network call).
    const f = ectF(ctx, params, tf.tensor(noisy(d.x0, d.eps, d.r), shape), d.r);
    const live = perRow(mapValues(d.r, (v) => (v > 0 ? 1 : 0)), f);
    return tf.add(tf.mul(live, f), tf.mul(tf.sub(1, live), tf.tensor(d.x0, shape)));
  },

  loss(ctx, params, d, y) {
    const shape = batchShape(ctx, d.t.length);
    const f = ectF(ctx, params, tf.tensor(noisy(d.x0, d.eps, d.t), shape), d.t);
    const axes = shape.slice(1).map((_, i) => i + 1);
    const sq = tf.sum(tf.squaredDifference(f, y), axes) as tf.Tensor1D; // [B]
    if (d.prefit) {
      // Plain squared error of f, not EDM's 1/c_out^2 weighting: measured on eight Gaussians, F's steep
      // small-t targets (-(x - m)/t near each mode) kept the F-weighted loss flat for 300 steps.
      return tf.div(tf.mean(sq), sampleSize(ctx.dataShape));
    }
    return tf.mean(ectRowLoss(sq, d.t, d.r, ctx.config.ectC));
  },

  progress(c, step) {
    // The progress line's "N" shows ECT's stage (Delta t = t n(t)/q^(stage+1)); mu = 0: the target is online.
    return { N: ectStage(c, step, c.teacher === 'exact' && c.dataset !== 'mnist' ? c.ectPrefitSteps : 0), mu: 0 };
  },

  jump(ctx, params, x, t) {
    return ectF(ctx, params, x, t);
  },

  /** x = f(T z, T), then x = f(x + tau z', tau) per tau (re-noised with tau z': the boundary is at 0). */
  sample(ctx, params, noise: UnitNoise) {
    const c = ctx.config;
    const B = noise.initial.length / sampleSize(ctx.dataShape);
    const shape = batchShape(ctx, B);
    const out: tf.Tensor[] = [];
    let x = tf.tidy(() => ectF(ctx, params, tf.mul(tf.tensor(noise.initial, shape), c.T), filled(c.T, B)));
    out.push(x);
    c.taus.forEach((raw, i) => {
      const tau = Math.min(c.T, Math.max(0, raw));
      x = tf.tidy(() => ectF(ctx, params, tf.add(x, tf.mul(tf.tensor(noise.perStep[i], shape), tau)), filled(tau, B)));
      out.push(x);
    });
    return out;
  },

  sampleBudgets: (c) => [1, ...c.taus.map((_, i) => i + 2)],
};
