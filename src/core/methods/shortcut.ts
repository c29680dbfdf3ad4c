// Shortcut models (Frans et al., ICLR 2025; few-step-methods.md section 6): s_theta(x_t, t, d) with the
// flow map x_{t+d} = x_t + d s_theta(x_t, t, d), t = 0 noise and t = 1 data. Flow rows regress the finest
// step d = 1/M onto x_1 - x_0; bootstrap rows make one step of 2d match two steps of d (targets clipped
// to +-4, from the online or a target-EMA net). Paths are x_t = (1 - t) x_0 + t x_1 without the code's
// sigma_min = 1e-5, so the time convention converts exactly to EDM.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config';
import { filled, mapValues, sampleSize } from '../tensorUtil';
import { addScaled, batchShape, meanSquaredError, timeInput } from './common';
import { powerOfTwoBudgets } from './flow';
import { shortcutTime } from './timeConventions';
import type { MethodContext, MethodDraws, TrainingMethod, UnitNoise } from './types';

export interface ShortcutDraws extends MethodDraws {
  /** Noise x_0 ~ N(0, I). */
  noise: Float32Array;
  t: Float64Array;
  /** Step size the online net is asked for: 1/M for flow rows, the big step D for bootstrap rows. */
  dNet: Float64Array;
  /** Rows [0, flowRows) are flow matching, the rest bootstrap (with half step dNet / 2). */
  flowRows: number;
}

/** Bootstrap rows per level j = 0 .. log2 M - 1 (big step D = 2^-j), as the code's targets_shortcut.py:10-14. */
export function bootstrapLevels(B: number, fraction: number, M: number): number[] {
  const nb = Math.floor(B * fraction);
  const L = Math.round(Math.log2(M));
  const per = Math.floor(nb / L);
  const levels: number[] = [];
  for (let i = 0; i < L; i++) for (let r = 0; r < per; r++) levels.push(L - 1 - i);
  while (levels.length < nb) levels.push(0);
  return levels;
}

/** s_theta(x, t, d): d enters as k / log2 M with k = log2(1/d), so both times are in [0, 1]. */
export function shortcutVelocity(ctx: MethodContext, params: readonly tf.Tensor[], x: tf.Tensor, t: ArrayLike<number>, d: ArrayLike<number>): tf.Tensor {
  const L = Math.log2(ctx.config.shortcutM);
  const k = mapValues(d, (v) => Math.min(L, Math.max(0, -Math.log2(Math.max(v, 1e-12)))) / L);
  return ctx.net.forward(params, x, timeInput(t, k));
}

function path(x0: Float32Array, x1: Float32Array, t: Float64Array): Float32Array {
  const size = x0.length / t.length;
  return Float32Array.from(x0, (v, j) => (1 - t[Math.floor(j / size)]) * v + t[Math.floor(j / size)] * x1[j]);
}

export const shortcutMethod: TrainingMethod<ShortcutDraws, tf.Tensor> = {
  id: 'shortcut',
  time: shortcutTime,
  timeInputs: 2,
  jumps: 'any',
  needsTeacher: 'none',
  targetDecay: (c: Config) => c.shortcutTargetEma,

  draw(ctx, rng) {
    const c = ctx.config;
    const B = c.batchSize;
    const M = c.shortcutM;
    const x0 = ctx.data.sample(B, rng.data);
    const noise = rng.train.normals(B * sampleSize(ctx.dataShape));
    const levels = bootstrapLevels(B, c.shortcutBootstrap, M);
    const flowRows = B - levels.length;
    const t = new Float64Array(B);
    const dNet = new Float64Array(B);
    for (let i = 0; i < flowRows; i++) {
      t[i] = rng.train.int(M) / M;
      dNet[i] = 1 / M;
    }
    levels.forEach((j, n) => {
      const i = flowRows + n;
      const D = 2 ** -j;
      t[i] = rng.train.int(2 ** j) * D; // t in {0, D, ..., 1 - D}
      dNet[i] = D;
    });
    return { x0, noise, t, dNet, flowRows };
  },

  target(ctx, params, d) {
    const B = d.t.length;
    const shape = batchShape(ctx, B);
    const size = sampleSize(ctx.dataShape);
    const x1 = tf.tensor(d.x0, shape);
    const x0 = tf.tensor(d.noise, shape);
    const flowTarget = tf.slice(tf.sub(x1, x0), 0, d.flowRows);
    if (d.flowRows === B) return flowTarget;
    const nb = B - d.flowRows;
    const bShape = batchShape(ctx, nb);
    const tb = d.t.slice(d.flowRows);
    const half = mapValues(d.dNet.slice(d.flowRows), (v) => v / 2);
    const xt = tf.tensor(path(d.noise.slice(d.flowRows * size), d.x0.slice(d.flowRows * size), tb), bShape);
    const s1 = shortcutVelocity(ctx, params, xt, tb, half);
    const x2 = tf.clipByValue(addScaled(xt, half, s1), -4, 4);
    const s2 = shortcutVelocity(ctx, params, x2, Float64Array.from(tb, (v, i) => v + half[i]), half);
    const boot = tf.clipByValue(tf.mul(tf.add(s1, s2), 0.5), -4, 4);
    return tf.concat([flowTarget, boot], 0);
  },

  loss(ctx, params, d, target) {
    const shape = batchShape(ctx, d.t.length);
    const xt = tf.tensor(path(d.noise, d.x0, d.t), shape);
    return meanSquaredError(shortcutVelocity(ctx, params, xt, d.t, d.dNet), target);
  },

  /** x + (s - t) s_theta(x, t, s - t); X(x, t -> t) = x exactly. */
  jump(ctx, params, x, t, s) {
    const d = Float64Array.from(s, (v, i) => v - t[i]);
    return addScaled(x, d, shortcutVelocity(ctx, params, x, t, d));
  },

  /** K = 1, 2, 4, ... steps of size 1/K from noise (helper_inference.py:99-125). */
  sample(ctx, params, noise: UnitNoise) {
    const B = noise.initial.length / sampleSize(ctx.dataShape);
    return powerOfTwoBudgets(ctx.config).map((K) => tf.tidy(() => {
      let x: tf.Tensor = tf.tensor(noise.initial, batchShape(ctx, B));
      for (let i = 0; i < K; i++) x = addScaled(x, filled(1 / K, B), shortcutVelocity(ctx, params, x, filled(i / K, B), filled(1 / K, B)));
      return x;
    }));
  },

  sampleBudgets: powerOfTwoBudgets,
};
