// MeanFlow (Geng, Deng, Bai, Kolter, He 2025; few-step-methods.md §5): the network learns the average
// velocity u(z_t, r, t) = 1/(t - r) int_r^t v(z_s, s) ds of the flow z_t = (1 - t) x + t e (t = 0 data, 1 noise).
//   identity   u = v - (t - r) du/dt,   du/dt = v . d_z u + d_t u   (a JVP along (v, 0, 1) in (z, r, t))
//   loss       sg(w) |u_theta(z_t, r, t) - sg(v - (t - r) du/dt)|^2,   w = 1 / (Delta + eta)^p
//   flow map   X(z, t -> r) = z - (t - r) u(z, r, t);  one step x = e - u(e, 0, 1)
// The network sees (t, t - r), both scaled by 1/32 (sheet §5.1: raw times with low frequencies).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { perSample, sampleSize } from '../tensorUtil';
import { jvp, jvpChoice, type JvpRoute, type TensorFn } from './jvp';
import type { MeanflowSettings } from './settings/meanflow';
import { fmTime } from './timeConventions';
import type { MethodContext, MethodDraws, TrainingMethod, UnitNoise } from './types';

/** (t, t - r) are multiplied by this before the network's features (at most 2 rad per unit time). */
export const MEANFLOW_TIME_SCALE = 1 / 32;

export interface MeanflowDraws extends MethodDraws {
  /** e ~ N(0, I), [B, ...dataShape]. */
  e: Float32Array;
  t: Float64Array;
  r: Float64Array;
}

export interface MeanflowTarget {
  zt: tf.Tensor;
  cond: tf.Tensor2D;
  /** sg(v - (t - r) du/dt). */
  uTarget: tf.Tensor;
  /** sg(1 / (Delta + eta)^p), [B]. */
  weight: tf.Tensor1D;
}

/** The network's time input [B, 2] = (t, t - r) * scale. Differentiable in t and r (for the double VJP). */
export function meanflowCond(t: tf.Tensor1D, r: tf.Tensor1D): tf.Tensor2D {
  return tf.mul(tf.stack([t, tf.sub(t, r)], 1), MEANFLOW_TIME_SCALE) as tf.Tensor2D;
}

/** u_theta(z, r, t) as a function of the tensors (z, t, r), the argument order of the JVP's tangent (v, 1, 0). */
export function averageVelocityFn(ctx: MethodContext, params: readonly tf.Tensor[]): TensorFn {
  return (z, t, r) => ctx.net.forward(params, z, meanflowCond(t as tf.Tensor1D, r as tf.Tensor1D));
}

const col = (v: ArrayLike<number>) => tf.tensor1d(Float32Array.from(v));

/**
 * The v1 sampler of the authors' PyTorch port: t ~ sigmoid(N(mT, sT^2)), r ~ sigmoid(N(mR, sR^2)),
 * r = t with probability 1 - ratio, then r = min(t, r).
 */
export function sampleTimes(rng: Rng, B: number, s: MeanflowSettings): { t: Float64Array; r: Float64Array } {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const t = new Float64Array(B);
  const r = new Float64Array(B);
  for (let i = 0; i < B; i++) {
    t[i] = sig(s.mfTMean + s.mfTStd * rng.normal());
    const ri = sig(s.mfRMean + s.mfRStd * rng.normal());
    r[i] = rng.uniform() < s.mfRatio ? Math.min(t[i], ri) : t[i];
  }
  return { t, r };
}

/** u_tgt = v - (t - r) du/dt with du/dt the JVP of u along (v, 1, 0) in (z, t, r) order. Call inside tf.tidy. */
export function meanflowTarget(
  u: TensorFn, zt: tf.Tensor, v: tf.Tensor, t: Float64Array, r: Float64Array, choice: { route: JvpRoute; h: number },
): tf.Tensor {
  // A central difference may step t below r or past 1: the network is a smooth function of its inputs
  // there too, so the product is still its derivative; rows with r = t are multiplied by 0 anyway.
  const dudt = jvp(u, [zt, col(t), col(r)], [v, tf.onesLike(col(t)), null], choice);
  return tf.sub(v, tf.mul(perSample(Array.from(t, (ti, i) => ti - r[i]), zt.rank), dudt));
}

/** Delta_i = sum_j (u_ij - uTarget_ij)^2 and w_i = 1 / (Delta_i + eta)^p. */
export function adaptiveWeight(u: tf.Tensor, uTarget: tf.Tensor, p: number, eta: number): { delta: tf.Tensor1D; weight: tf.Tensor1D } {
  const axes = Array.from({ length: u.rank - 1 }, (_, i) => i + 1);
  const delta = tf.sum(tf.squaredDifference(u, uTarget), axes) as tf.Tensor1D;
  return { delta, weight: tf.pow(tf.add(delta, eta), -p) as tf.Tensor1D };
}

/** X(z, t -> s) = z - (t - s) u(z, s, t); X(z, t -> t) = z exactly. */
export function meanflowJump(ctx: MethodContext, params: readonly tf.Tensor[], z: tf.Tensor, t: Float64Array, s: Float64Array): tf.Tensor {
  const u = averageVelocityFn(ctx, params)(z, col(t), col(s));
  return tf.sub(z, tf.mul(perSample(Array.from(t, (ti, i) => ti - s[i]), z.rank), u));
}

/** Network evaluations of each sample entry: 1, 2, 4, ..., one doubling per shared tau. */
export function meanflowBudgets(c: { taus: readonly number[] }): number[] {
  return [1, ...c.taus.map((_, i) => 2 ** (i + 1))];
}

export const meanflowMethod: TrainingMethod<MeanflowDraws, MeanflowTarget> = {
  id: 'meanflow',
  time: fmTime,
  timeInputs: 2,
  jumps: 'any',
  needsTeacher: 'none',
  targetDecay: () => 0,
  jump: meanflowJump,
  sample(ctx, params, noise: UnitNoise) {
    // K = 1, 2, 4, ... jumps on the uniform grid 1 -> 0 (one more doubling per tau, as the other flow methods).
    const B = noise.initial.length / sampleSize(ctx.dataShape);
    const e = tf.tensor(noise.initial, [B, ...ctx.dataShape]);
    const full = (v: number) => new Float64Array(B).fill(v);
    return meanflowBudgets(ctx.config).map((K) => {
      let z = e;
      for (let k = K; k > 0; k--) z = meanflowJump(ctx, params, z, full(k / K), full((k - 1) / K));
      return z;
    });
  },
  sampleBudgets: (c) => meanflowBudgets(c),
  draw(ctx, rng) {
    const B = ctx.config.batchSize;
    const x0 = ctx.data.sample(B, rng.data);
    const { t, r } = sampleTimes(rng.train, B, ctx.config);
    const e = rng.train.normals(B * sampleSize(ctx.dataShape));
    return { x0, e, t, r };
  },
  target(ctx, targetParams, d) {
    return tf.tidy(() => {
      const s = ctx.config;
      const B = d.t.length;
      const size = d.x0.length / B;
      const zHost = new Float32Array(d.x0.length);
      const vHost = new Float32Array(d.x0.length);
      for (let i = 0; i < B; i++) {
        for (let j = i * size; j < (i + 1) * size; j++) {
          zHost[j] = (1 - d.t[i]) * d.x0[j] + d.t[i] * d.e[j];
          vHost[j] = d.e[j] - d.x0[j];
        }
      }
      const shape = [B, ...ctx.dataShape];
      const zt = tf.tensor(zHost, shape);
      const u = averageVelocityFn(ctx, targetParams);
      const uTarget = meanflowTarget(u, zt, tf.tensor(vHost, shape), d.t, d.r, jvpChoice(ctx.config.activation, ctx.config.jvpRoute, ctx.config.model));
      // The adaptive weight is a stop-gradient of the online error; the target pass uses the online weights
      // (targetDecay 0), so it is computed here, outside the tape.
      const { weight } = adaptiveWeight(u(zt, col(d.t), col(d.r)), uTarget, s.mfPower, s.mfEta);
      return { zt, cond: meanflowCond(col(d.t), col(d.r)), uTarget, weight };
    });
  },
  loss(ctx, params, _d, target) {
    const u = ctx.net.forward(params, target.zt, target.cond);
    const axes = Array.from({ length: u.rank - 1 }, (_, i) => i + 1);
    return tf.mean(tf.mul(target.weight, tf.sum(tf.squaredDifference(u, target.uTarget), axes))) as tf.Scalar;
  },
};
