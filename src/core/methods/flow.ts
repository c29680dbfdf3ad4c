// Flow matching / rectified flow (few-step-methods.md section 7), the baseline and yardstick: the
// velocity v_theta(z_t, t) regressed onto e - x on the straight path z_t = (1 - t) x + t e (t = 1 noise).
// No boundary condition. Sampling: K Euler steps from t = 1; one step lands near the data mean.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config';
import { filled, sampleSize } from '../tensorUtil';
import { addScaled, batchShape, meanSquaredError, perRow, sigmoid, timeInput } from './common';
import { fmTime } from './timeConventions';
import type { MethodContext, MethodDraws, TrainingMethod, UnitNoise } from './types';

export interface FlowDraws extends MethodDraws {
  e: Float32Array;
  t: Float64Array;
}

/** v_theta(z, t): the network output itself, fed z as it is and t in [0, 1]. */
export function flowVelocity(ctx: MethodContext, params: readonly tf.Tensor[], z: tf.Tensor, t: ArrayLike<number>): tf.Tensor {
  return ctx.net.forward(params, z, timeInput(t));
}

/** Budgets 1, 2, 4, ...: one per entry of taus after the first (the taus' values are not used). */
export function powerOfTwoBudgets(c: Config): number[] {
  return [1, ...c.taus.map((_, i) => 2 ** (i + 1))];
}

/** z_t = (1 - t) x + t e on the host, float64 then rounded once. */
export function fmNoisy(x0: Float32Array, e: Float32Array, t: Float64Array): Float32Array {
  const size = x0.length / t.length;
  const out = new Float32Array(x0.length);
  for (let i = 0; i < t.length; i++) for (let j = i * size; j < (i + 1) * size; j++) out[j] = (1 - t[i]) * x0[j] + t[i] * e[j];
  return out;
}

export const flowMethod: TrainingMethod<FlowDraws, null> = {
  id: 'flow',
  time: fmTime,
  timeInputs: 1,
  jumps: 'any',
  needsTeacher: 'none',
  targetDecay: () => 0,

  draw(ctx, rng) {
    const B = ctx.config.batchSize;
    const x0 = ctx.data.sample(B, rng.data);
    const logit = ctx.config.flowTimeSampling === 'logit-normal';
    const t = Float64Array.from({ length: B }, () => (logit ? sigmoid(-0.4 + rng.train.normal()) : rng.train.uniform()));
    const e = rng.train.normals(B * sampleSize(ctx.dataShape));
    return { x0, e, t };
  },

  target: () => null,

  loss(ctx, params, d) {
    const shape = batchShape(ctx, d.t.length);
    const z = tf.tensor(fmNoisy(d.x0, d.e, d.t), shape);
    const v = tf.sub(tf.tensor(d.e, shape), tf.tensor(d.x0, shape));
    return meanSquaredError(flowVelocity(ctx, params, z, d.t), v);
  },

  /** One Euler step z - (t - s) v(z, t): the map a single network evaluation gives. */
  jump(ctx, params, x, t, s) {
    const v = flowVelocity(ctx, params, x, t);
    return addScaled(x, Float64Array.from(t, (ti, i) => -(ti - s[i])), v);
  },

  sample(ctx, params, noise: UnitNoise) {
    const B = noise.initial.length / sampleSize(ctx.dataShape);
    return powerOfTwoBudgets(ctx.config).map((K) => tf.tidy(() => {
      let z: tf.Tensor = tf.tensor(noise.initial, batchShape(ctx, B));
      for (let k = 0; k < K; k++) {
        const t = 1 - k / K;
        z = tf.sub(z, tf.mul(perRow(filled(1 / K, B), z), flowVelocity(ctx, params, z, filled(t, B))));
      }
      return z;
    }));
  },

  sampleBudgets: powerOfTwoBudgets,
};
