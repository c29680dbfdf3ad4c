// sCT / sCD (src/core/methods/scm.ts) against few-step-methods.md §1 and §4.7 (golden values from its
// float64 script), the TrigFlow boundary f(x, 0) = x, and the teacher velocity of §4.3 in closed form.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { doubleVjpJvp, finiteDifferenceJvp, type TensorFn } from '../../../src/core/methods/jvp';
import {
  scdMethod, scmTangent, scmTimeOfTau, sctMethod, tangentWarmup, teacherVelocity, trigflowConsistency,
} from '../../../src/core/methods/scm';
import { trigFlowTime } from '../../../src/core/methods/timeConventions';
import type { MethodContext } from '../../../src/core/methods/types';
import { createMlp } from '../../../src/core/models/mlp';
import { Rng } from '../../../src/core/rng';
import type { Denoiser } from '../../../src/core/teacher/denoiser';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const close = (got: ArrayLike<number>, want: number[], digits = 5) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));

/** Data N(0, s^2 I) in 2D: D(x, sigma) = s^2 x / (s^2 + sigma^2). */
function gaussianDenoiser(s: number): Denoiser {
  return { denoise: (x, sigma) => tf.mul(x, tf.tensor(Float32Array.from(sigma, (v) => (s * s) / (s * s + v * v)), [sigma.length, 1])) };
}

function context(config: Partial<Config> = {}, teacher: Denoiser | null = null): MethodContext {
  const c = { ...DEFAULTS, mode: 'sct', ...config } as Config;
  const net = createMlp({ kind: 'mlp', dataShape: [2], width: 32, depth: 2, activation: 'silu', timeFeatures: 8, timeConditioning: 'every-layer' });
  const data = { dataShape: [2], sample: (B: number, r: Rng) => r.normals(2 * B, 0.5) };
  return { config: c, net, dataShape: [2], data: data as unknown as MethodContext['data'], teacher, exact: null };
}

function randomParams(ctx: MethodContext): tf.Tensor[] {
  const rng = new Rng(8, 'scm-params');
  const init = ctx.net.init(rng);
  const out = init[init.length - 2];
  for (let i = 0; i < out.length; i++) out[i] = 0.3 * rng.normal();
  return init.map((v, i) => tf.tensor(v, ctx.net.params[i].shape));
}

describe('TrigFlow time (sheet §1)', () => {
  it('converts EDM sigma to TrigFlow t and back, with x_sigma = x_t / cos t', () => {
    const tc = sctMethod.time;
    expect(tc.name).toBe('trigflow');
    expect(tc.sigmaOf(1)).toBe(trigFlowTime(0.5).sigmaOf(1));
    const golden = [0.003999979, 0.785398163, 1.107148718, 1.564546408];
    [0.002, 0.5, 1, 80].forEach((sigma, i) => {
      expect(tc.timeOf(sigma)).toBeCloseTo(golden[i], 8);
      expect(tc.sigmaOf(golden[i])).toBeCloseTo(sigma, 5);
    });
    expect(Math.cos(tc.timeOf(80))).toBeCloseTo(0.006249878, 8);
    // EDM scalings at sigma = 1 are (cos^2 t, sd sin t, cos t / sd).
    const t = tc.timeOf(1);
    expect([Math.cos(t) ** 2, 0.5 * Math.sin(t), Math.cos(t) / 0.5]).toEqual([expect.closeTo(0.2, 6), expect.closeTo(0.447214, 6), expect.closeTo(0.894427, 6)]);
    expect(tc.edmScale(t)).toBeCloseTo(1 / Math.cos(t), 12);
  });

  it('draws t from the lognormal proposal: quantiles of §4.7 for (P_mean, P_std) = (-1.0, 1.4)', () => {
    const z = [-2.3263478740408408, -1.2815515655446004, 0, 1.2815515655446004, 2.3263478740408408];
    const golden = [0.028325, 0.121726, 0.634324, 1.348552, 1.518506];
    z.forEach((zp, i) => expect(scmTimeOfTau(-1.0 + 1.4 * zp, 0.5)).toBeCloseTo(golden[i], 5));
    // And the draws follow it: empirical CDF at pi/4 and 1.1 against 0.586745 and 0.758532.
    const ctx = context({ batchSize: 20000 });
    const d = sctMethod.draw(ctx, { data: new Rng(1, 'd'), train: new Rng(2, 't') }, 0);
    const cdf = (x: number) => d.t.filter((v) => v <= x).length / d.t.length;
    // 20,000 draws: standard error about 0.0035, so 4 of them.
    expect(Math.abs(cdf(Math.PI / 4) - 0.586745)).toBeLessThan(0.014);
    expect(Math.abs(cdf(1.1) - 0.758532)).toBeLessThan(0.014);
    expect(Math.min(...d.t)).toBeGreaterThanOrEqual(Math.atan(0.002 / 0.5));
    expect(Math.max(...d.t)).toBeLessThanOrEqual(Math.atan(80 / 0.5));
  });
});

describe('sCT tangent (sheet §4.7)', () => {
  // F(x~, t) = 0.5 x~ - t + 0.2 elementwise, x_0 = (1, -2), z = (0.3, 0.4), t = 1, sd = 0.5.
  const sd = 0.5;
  const F: TensorFn = (x, t) => tf.add(tf.sub(tf.mul(x, 0.5), tf.reshape(t, [-1, 1])), 0.2);
  const t = 1;
  const xt = [Math.cos(t) * 1 + Math.sin(t) * 0.3, Math.cos(t) * -2 + Math.sin(t) * 0.4];
  const dxdt = [Math.cos(t) * 0.3 - Math.sin(t) * 1, Math.cos(t) * 0.4 + Math.sin(t) * 2];

  function tangent(route: 'exact' | 'fd', r: number) {
    return tf.tidy(() => {
      const xtT = tf.tensor2d([xt]);
      const xIn = tf.div(xtT, sd);
      const tT = tf.tensor1d([t]);
      const cs = Math.cos(t) * Math.sin(t);
      const tangents = [tf.mul(tf.tensor2d([dxdt]), cs), tf.tensor1d([cs * sd])];
      const jv = route === 'exact' ? doubleVjpJvp(F, [xIn, tT], tangents) : finiteDifferenceJvp(F, [xIn, tT], tangents, 0.01);
      const Fm = F(xIn, tT);
      return { jv: jv.dataSync(), Fm: Fm.dataSync(), g: scmTangent(Fm, tf.tensor2d([dxdt]), xtT, jv, Float64Array.of(t), r, sd, 0.1).dataSync() };
    });
  }

  it('has the golden x_t, dx_t/dt, F, and JVP sd cos t sin t dF/dt by both routes', () => {
    close(xt, [0.792744, -0.744016]);
    close(dxdt, [-0.67938, 1.899063]);
    for (const route of ['exact', 'fd'] as const) {
      const { jv, Fm } = tangent(route, 1);
      close(Fm, [-0.007256, -1.544016]);
      close(jv, [-0.381764, 0.204379]);
    }
  });

  it('normalises g to the golden values and loss at theta = theta^- (r = 1 and r = 0.5)', () => {
    const cases = [
      { r: 1, g: [-0.170731, 0.886665], loss: 0.4076619 },
      { r: 0.5, g: [-0.192962, 0.875579], loss: 0.4019362 },
    ];
    for (const { r, g, loss } of cases) {
      const got = tangent('exact', r).g;
      close(got, g);
      expect((got[0] ** 2 + got[1] ** 2) / 2).toBeCloseTo(loss, 5); // e^0 / D |F - F^- - g|^2 at F = F^-
    }
  });

  it('catches the sigma_d cos t sin t factor applied twice (a known port bug)', () => {
    const { jv } = tangent('exact', 1);
    const cs = Math.cos(t) * Math.sin(t);
    const twice = tf.tidy(() => scmTangent(tf.tensor2d([[-0.007256, -1.544016]]), tf.tensor2d([dxdt]), tf.tensor2d([xt]),
      tf.tensor2d([[jv[0] * cs * sd, jv[1] * cs * sd]]), Float64Array.of(t), 1, sd, 0.1).dataSync());
    expect(Math.abs(twice[0] - -0.170731)).toBeGreaterThan(1e-2);
  });

  it('warms the tangent up over H steps after the pre-training', () => {
    const c = { ...DEFAULTS, steps: 2000, scmPretrain: 200, scmWarmup: 0 } as Config;
    expect(tangentWarmup(c, 100)).toBe(0);
    expect(tangentWarmup(c, 300)).toBeCloseTo(0.5, 12);
    expect(tangentWarmup(c, 5000)).toBe(1);
    expect(tangentWarmup({ ...c, scmWarmup: 50 }, 225)).toBeCloseTo(0.5, 12);
  });
});

describe('TrigFlow parameterisation', () => {
  it('f(x, 0) = x exactly for any network, and jumps only to the data end', () => {
    const ctx = context();
    const params = randomParams(ctx);
    const x = tf.tensor2d([[0.3, -1.7], [2.5, 0.01], [-4, 3]]);
    const f0 = tf.tidy(() => trigflowConsistency(ctx, params, x, new Float64Array(3)));
    expect(Array.from(f0.dataSync())).toEqual(Array.from(x.dataSync()));
    const f1 = tf.tidy(() => sctMethod.jump(ctx, params, x, Float64Array.of(1, 1, 1), Float64Array.of(0.5, 0.5, 0.5)));
    const f2 = tf.tidy(() => trigflowConsistency(ctx, params, x, Float64Array.of(1, 1, 1)));
    expect(Array.from(f1.dataSync())).toEqual(Array.from(f2.dataSync()));
    expect(Math.max(...Array.from(f1.dataSync(), (v, i) => Math.abs(v - x.dataSync()[i])))).toBeGreaterThan(1e-3);
    tf.dispose([x, f0, f1, f2, ...params]);
  });

  it('samples one step from sd z at arctan(T / sd), then re-noises at each tau', () => {
    const ctx = context({ taus: [0.585, 0.1] });
    const params = randomParams(ctx);
    const rng = new Rng(3, 'noise');
    const noise = { initial: rng.normals(8), perStep: [rng.normals(8), rng.normals(8)] };
    const out = tf.tidy(() => sctMethod.sample(ctx, params, noise));
    expect(out).toHaveLength(3);
    expect(sctMethod.sampleBudgets(ctx.config)).toEqual([1, 2, 3]);
    const tMax = Math.atan(80 / 0.5);
    const direct = tf.tidy(() => trigflowConsistency(ctx, params, tf.mul(tf.tensor2d(noise.initial, [4, 2]), 0.5), new Float64Array(4).fill(tMax)));
    expect(Array.from(out[0].dataSync())).toEqual(Array.from(direct.dataSync()));
    tf.dispose([...out, direct, ...params]);
  });
});

describe('sCD teacher velocity (sheet §4.3)', () => {
  it('is zero for data N(0, sd^2) (x_t has the data distribution at every t) and matches the closed form otherwise', () => {
    const x = tf.tensor2d([[0.4, -1.1], [1.5, 0.2]]);
    const t = Float64Array.of(0.3, 1.2);
    const vSame = tf.tidy(() => teacherVelocity(context({}, gaussianDenoiser(0.5)), x, t).dataSync());
    vSame.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-5));
    // Data N(0, s^2): E[cos t z - sin t x_0 | x_t] = x_t cos t sin t (sd^2 - s^2) / (cos^2 t s^2 + sin^2 t sd^2).
    const s = 0.8;
    const v = tf.tidy(() => teacherVelocity(context({}, gaussianDenoiser(s)), x, t).dataSync());
    const X = [[0.4, -1.1], [1.5, 0.2]];
    for (let i = 0; i < 2; i++) {
      const c = Math.cos(t[i]);
      const sn = Math.sin(t[i]);
      const k = (c * sn * (0.25 - s * s)) / (c * c * s * s + sn * sn * 0.25);
      close([v[2 * i], v[2 * i + 1]], [k * X[i][0], k * X[i][1]], 4);
    }
    x.dispose();
  });

  it('sCD needs a teacher and says so; sCT does not', () => {
    expect(scdMethod.needsTeacher).toBe('distil');
    expect(sctMethod.needsTeacher).toBe('none');
    const ctx = context({ mode: 'scd', scmPretrain: 0 });
    const d = scdMethod.draw(ctx, { data: new Rng(1, 'd'), train: new Rng(2, 't') }, 0);
    const params = randomParams(ctx);
    expect(() => scdMethod.target(ctx, params, d, 10)).toThrow(/sCD needs a teacher/);
    tf.dispose(params);
  });
});
