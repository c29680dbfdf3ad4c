// Flow matching (few-step-methods.md section 7): with the exact velocity of data N(0, 0.25) the K-step
// Euler sampler maps z to the golden multiples 0, 0.2, 0.340541, 0.414785 of z (exact ODE: 0.5 z), and the
// loss is the mean squared velocity error on z_t = (1 - t) x + t e.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { flowMethod, fmNoisy, powerOfTwoBudgets } from '../../../src/core/methods/flow';
import { DEFAULTS } from '../../../src/core/config';
import { fakeContext, fakeNet } from './fakeNets';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// v*(z, t) = z (t - (1 - t) s^2) / sigma(t)^2, sigma(t)^2 = (1 - t)^2 s^2 + t^2, s = 0.5; t arrives as [B].
const exactField = fakeNet((z, cond) => {
  const t = tf.reshape(cond, [-1, 1]);
  const s2 = 0.25;
  const num = tf.sub(t, tf.mul(tf.sub(1, t), s2));
  const den = tf.add(tf.mul(tf.square(tf.sub(1, t)), s2), tf.square(t));
  return tf.mul(z, tf.div(num, den));
});

describe('flow matching', () => {
  it('K = 1, 2, 4, 8 Euler steps of the exact field give the golden multiples of z', () => {
    const ctx = fakeContext(exactField, { taus: [1, 0.5, 0.25] });
    expect(powerOfTwoBudgets(ctx.config)).toEqual([1, 2, 4, 8]);
    const z = Float32Array.of(1, -2, 0.5, 3);
    const out = flowMethod.sample(ctx, [], { initial: z, perStep: [] }).map((t) => t.dataSync());
    [0, 0.2, 0.340541, 0.414785].forEach((ratio, k) => z.forEach((v, i) => expect(out[k][i]).toBeCloseTo(ratio * v, 5)));
  });

  it('the loss is the mean squared error of v against e - x at z_t = (1 - t) x + t e', () => {
    const zeroNet = fakeNet((z) => tf.zerosLike(z));
    const ctx = fakeContext(zeroNet);
    const d = { x0: Float32Array.of(1, -2), e: Float32Array.of(0.3, 0.4), t: Float64Array.of(0.8) };
    expect(Array.from(fmNoisy(d.x0, d.e, d.t)).map((v) => +v.toFixed(6))).toEqual([0.44, -0.08]);
    const want = ((0.3 - 1) ** 2 + (0.4 + 2) ** 2) / 2;
    expect(flowMethod.loss(ctx, [], d, null, 0).dataSync()[0]).toBeCloseTo(want, 5);
  });

  it('one step is a single Euler step z - (t - s) v(z, t); X(z, t -> t) = z', () => {
    const ctx = fakeContext(exactField, DEFAULTS);
    const z = tf.tensor2d([1, 1], [1, 2]);
    // From t = 1: v*(z, 1) = z, so one step to 0 gives 0 (the data mean): FM fails at one step.
    expect(Array.from(flowMethod.jump(ctx, [], z, Float64Array.of(1), Float64Array.of(0)).dataSync())).toEqual([0, 0]);
    expect(Array.from(flowMethod.jump(ctx, [], z, Float64Array.of(0.4), Float64Array.of(0.4)).dataSync())).toEqual([1, 1]);
  });
});
