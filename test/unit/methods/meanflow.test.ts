// MeanFlow (src/core/methods/meanflow.ts) against few-step-methods.md §5.7 (golden values from its float64
// script): the target with a closed-form u, the adaptive weights, the exact average velocity of Gaussian data
// (the MeanFlow identity through our JVP), the flow-map boundary X(z, t -> t) = z and the (t, r) sampler.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { jvpChoice, type TensorFn } from '../../../src/core/methods/jvp';
import {
  adaptiveWeight, meanflowJump, meanflowMethod, meanflowTarget, sampleTimes,
} from '../../../src/core/methods/meanflow';
import { MEANFLOW_DEFAULTS } from '../../../src/core/methods/settings/meanflow';
import type { MethodContext } from '../../../src/core/methods/types';
import { createMlp } from '../../../src/core/models/mlp';
import { Rng } from '../../../src/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const close = (got: ArrayLike<number>, want: number[], digits = 5) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
const exact = { route: 'double-vjp' as const, h: 0 };
const col = (t: tf.Tensor) => tf.reshape(t, [-1, 1]);

// u(z, r, t) = 0.5 z - t + 2 r, as a function of (z, t, r); x = (1, -2), e = (0.3, 0.4), t = 0.8, r = 0.2.
const uClosed: TensorFn = (z, t, r) => tf.add(tf.sub(tf.mul(z, 0.5), col(t)), tf.mul(col(r), 2));
const zt = [0.2 * 1 + 0.8 * 0.3, 0.2 * -2 + 0.8 * 0.4];
const v = [0.3 - 1, 0.4 + 2];

function closedTarget(route: { route: 'fd' | 'double-vjp'; h: number }) {
  return tf.tidy(() => meanflowTarget(uClosed, tf.tensor2d([zt]), tf.tensor2d([v]), Float64Array.of(0.8), Float64Array.of(0.2), route).dataSync());
}

describe('MeanFlow target and weights (sheet §5.7)', () => {
  it('gives z_t, v and u_tgt = v - (t - r) du/dt by both JVP routes', () => {
    close(zt, [0.44, -0.08]);
    close(v, [-0.7, 2.4]);
    close(closedTarget(exact), [0.11, 2.28]);
    close(closedTarget(jvpChoice('silu')), [0.11, 2.28]);
  });

  it('adaptive weights, weighted losses and dLoss/du for the four (p, eta) of the table', () => {
    const u = tf.tensor2d([[0.5 * 0.44 - 0.8 + 0.4, 0.5 * -0.08 - 0.8 + 0.4]]);
    close(u.dataSync(), [-0.18, -0.44]);
    const tgt = tf.tensor2d([[0.11, 2.28]]);
    const table = [
      { p: 1.0, eta: 0.01, w: 0.1334668, loss: 0.9986653, grad: [-0.077411, -0.726059] },
      { p: 0.75, eta: 1e-3, w: 0.2210148, loss: 1.6537435, grad: [-0.128189, -1.202321] },
      { p: 0.5, eta: 0.01, w: 0.3653311, loss: 2.7335898, grad: [-0.211892, -1.987401] },
      { p: 0, eta: 0.01, w: 1, loss: 7.4825, grad: [-0.58, -5.44] },
    ];
    for (const row of table) {
      const { delta, weight } = adaptiveWeight(u, tgt, row.p, row.eta);
      expect(delta.dataSync()[0]).toBeCloseTo(7.4825, 4);
      expect(weight.dataSync()[0]).toBeCloseTo(row.w, 6);
      // The method's loss with w held constant (stop-gradient), differentiated with respect to u.
      const target = { zt: u, cond: tf.zeros([1, 2]) as tf.Tensor2D, uTarget: tgt, weight };
      const ctx = { net: { forward: (p: readonly tf.Tensor[]) => p[0] } } as unknown as MethodContext;
      const { value, grads } = tf.valueAndGrads((uu: tf.Tensor) => meanflowMethod.loss(ctx, [uu], {} as never, target, 0))([u]);
      expect(value.dataSync()[0]).toBeCloseTo(row.loss, 4);
      close(grads[0].dataSync(), row.grad, 5);
      tf.dispose([delta, weight, value, ...grads, target.cond]);
    }
    tf.dispose([u, tgt]);
  });

  it('is not one of the known wrong variants (d/dr instead of d/dt, or the sign flipped)', () => {
    const got = closedTarget(exact);
    expect(Math.abs(got[0] - -1.69)).toBeGreaterThan(0.1); // tangent (v, 1, 0) in (z, r, t) order
    expect(Math.abs(got[0] - -1.51)).toBeGreaterThan(0.1); // v + (t - r) du/dt
  });
});

describe('exact average velocity of data N(0, 0.25) (sheet §5.7)', () => {
  // sigma(t)^2 = (1 - t)^2 s^2 + t^2;  u*(z, r, t) = z (1 - sigma(r)/sigma(t)) / (t - r).
  const s2 = 0.25;
  const sig = (t: tf.Tensor) => tf.sqrt(tf.add(tf.mul(tf.square(tf.sub(1, t)), s2), tf.square(t)));
  const uStar: TensorFn = (z, t, r) => tf.mul(z, col(tf.div(tf.sub(1, tf.div(sig(r), sig(t))), tf.sub(t, r))));
  const vStar = (z: number, t: number) => (z * (t - (1 - t) * s2)) / ((1 - t) ** 2 * s2 + t * t);

  it('has the golden u*(1, 0, 1) = 0.5 and u*(1, 0.25, 0.75) = 0.8145020, v*(1, 0.75) = 1.1891892', () => {
    const u = tf.tidy(() => uStar(tf.tensor2d([[1], [1]]), tf.tensor1d([1, 0.75]), tf.tensor1d([0, 0.25])).dataSync());
    close(u, [0.5, 0.814502]);
    expect(vStar(1, 0.75)).toBeCloseTo(1.1891892, 6);
  });

  it('satisfies the MeanFlow identity through our target code: v* - (t - r) du*/dt = u* (both routes)', () => {
    for (const route of [exact, jvpChoice('silu')]) {
      const got = tf.tidy(() => meanflowTarget(uStar, tf.tensor2d([[1]]), tf.tensor2d([[vStar(1, 0.75)]]), Float64Array.of(0.75), Float64Array.of(0.25), route).dataSync());
      expect(Math.abs(got[0] - 0.814502)).toBeLessThan(route.route === 'fd' ? 2e-4 : 2e-5);
    }
  });
});

function context(config: Partial<Config> = {}): MethodContext {
  const c = { ...DEFAULTS, mode: 'meanflow', ...config } as Config;
  const net = createMlp({ kind: 'mlp', dataShape: [2], width: 32, depth: 2, activation: 'silu', timeFeatures: 8, timeConditioning: 'every-layer', timeInputs: 2 });
  const data = { dataShape: [2], sample: (B: number, r: Rng) => r.normals(2 * B, 0.5) };
  return { config: c, net, dataShape: [2], data: data as unknown as MethodContext['data'], teacher: null, exact: null };
}

describe('MeanFlow flow map and sampler', () => {
  it('X(z, t -> t) = z exactly for any network; one step is e - u(e, 0, 1); K steps on the uniform grid', () => {
    const ctx = context({ taus: [0.5, 0.1] });
    const rng = new Rng(6, 'mf-params');
    const init = ctx.net.init(rng);
    const out = init[init.length - 2];
    for (let i = 0; i < out.length; i++) out[i] = 0.3 * rng.normal();
    const params = init.map((p, i) => tf.tensor(p, ctx.net.params[i].shape));
    const z = tf.tensor2d([[0.3, -1.2], [2, 0.5], [-1, -1]]);
    const t = Float64Array.of(0.9, 0.4, 0.05);
    const same = tf.tidy(() => meanflowJump(ctx, params, z, t, t));
    expect(Array.from(same.dataSync())).toEqual(Array.from(z.dataSync()));
    const moved = tf.tidy(() => meanflowJump(ctx, params, z, t, new Float64Array(3)));
    expect(Math.max(...Array.from(moved.dataSync(), (a, i) => Math.abs(a - z.dataSync()[i])))).toBeGreaterThan(1e-3);
    const noise = { initial: Float32Array.from(z.dataSync()), perStep: [] };
    const samples = tf.tidy(() => meanflowMethod.sample(ctx, params, noise));
    expect(meanflowMethod.sampleBudgets(ctx.config)).toEqual([1, 2, 4]);
    expect(samples).toHaveLength(3);
    const one = tf.tidy(() => meanflowJump(ctx, params, z, Float64Array.of(1, 1, 1), new Float64Array(3)));
    expect(Array.from(samples[0].dataSync())).toEqual(Array.from(one.dataSync()));
    tf.dispose([z, same, moved, one, ...samples, ...params]);
  });

  it('time convention: sigma = t / (1 - t) (golden t = 0.001996008, 0.5, 80/81 for sigma = 0.002, 1, 80)', () => {
    [[0.002, 0.001996008], [1, 0.5], [80, 80 / 81]].forEach(([sigma, t]) => {
      expect(meanflowMethod.time.timeOf(sigma)).toBeCloseTo(t, 9);
      expect(meanflowMethod.time.sigmaOf(t)).toBeCloseTo(sigma, 5);
    });
    // v(x_t = 1, t = 0.5) for data N(0, 0.25) through the EDM denoiser: (x_t - D(x_t/(1-t), t/(1-t))) / t = 1.2.
    const D = (x: number, sigma: number) => (0.25 * x) / (0.25 + sigma * sigma);
    expect((1 - D(1 * meanflowMethod.time.edmScale(0.5), meanflowMethod.time.sigmaOf(0.5))) / 0.5).toBeCloseTo(1.2, 12);
  });

  it('draws (t, r) with r <= t and r = t on about 1 - ratio of the rows', () => {
    const B = 20000;
    const { t, r } = sampleTimes(new Rng(2, 'tr'), B, MEANFLOW_DEFAULTS);
    let equal = 0;
    for (let i = 0; i < B; i++) {
      expect(r[i]).toBeLessThanOrEqual(t[i]);
      expect(t[i]).toBeGreaterThan(0);
      expect(t[i]).toBeLessThan(1);
      if (r[i] === t[i]) equal++;
    }
    // r = t with probability 0.25, plus the rows where the r draw exceeds t (then min(t, r) = t):
    // P(N(-4, 1.6^2) > N(-0.6, 1.6^2)) = Phi(-3.4 / (1.6 sqrt 2)) = 0.06647, so 0.25 + 0.75 * 0.06647 = 0.2999.
    expect(Math.abs(equal / B - 0.2999)).toBeLessThan(0.013); // 4 standard errors
    // Median of t = sigmoid(-0.6).
    const sorted = Array.from(t).sort((a, b) => a - b);
    expect(Math.abs(sorted[B / 2] - 1 / (1 + Math.exp(0.6)))).toBeLessThan(0.01);
  });
});
