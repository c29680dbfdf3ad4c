import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pointSetMixture } from '../../../src/core/data/mixture';
import { MixtureDenoiser } from '../../../src/core/teacher/mixtureDenoiser';
import { eulerStep, heunStep } from '../../../src/core/teacher/ode';
import { pfOdeTrajectories } from '../../../src/core/teacher/trajectories';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const gaussian = (dim: number, mean: number[], std: number) => new MixtureDenoiser(pointSetMixture(mean, dim, std));

describe('teacher ODE steps (reference section 4 sanity case)', () => {
  // 1-D data N(0, 0.5^2), exact denoiser, x = 1 from t = 1 to t = 0.5.
  const D = gaussian(1, [0], 0.5);
  const run = async (f: typeof eulerStep) => (await f(D, tf.tensor2d([1], [1, 1]), Float64Array.of(1), Float64Array.of(0.5)).data())[0];

  it('Euler gives 0.6000', async () => expect(await run(eulerStep)).toBeCloseTo(0.6, 5));
  it('Heun gives 0.6500', async () => expect(await run(heunStep)).toBeCloseTo(0.65, 5));
  it('the exact solution is 0.63246 and Heun is closer to it than Euler', async () => {
    const exact = Math.sqrt(0.25 + 0.25) / Math.sqrt(0.25 + 1);
    expect(exact).toBeCloseTo(0.63246, 5);
    expect(Math.abs((await run(heunStep)) - exact)).toBeLessThan(Math.abs((await run(eulerStep)) - exact));
  });
});

describe('exact mixture denoiser (reference section 10)', () => {
  it('equals the Gaussian posterior mean for one component', async () => {
    const D = gaussian(2, [1, -2], 0.3);
    const y = await D.denoise(tf.tensor2d([0, 0, 3, 1], [2, 2]), Float64Array.of(0.5, 2)).data();
    const shrink = (t: number) => 0.09 / (0.09 + t * t);
    expect(y[0]).toBeCloseTo(1 + shrink(0.5) * (0 - 1), 5);
    expect(y[1]).toBeCloseTo(-2 + shrink(0.5) * (0 + 2), 5);
    expect(y[2]).toBeCloseTo(1 + shrink(2) * (3 - 1), 5);
    expect(y[3]).toBeCloseTo(-2 + shrink(2) * (1 + 2), 5);
  });

  it('with s = 0 and small t it returns the nearest training point (memorisation)', async () => {
    const D = new MixtureDenoiser(pointSetMixture([0, 0, 1, 1, -1, 2], 2, 0));
    const y = await D.denoise(tf.tensor2d([0.9, 1.2], [1, 2]), Float64Array.of(0.05)).data();
    expect(y[0]).toBeCloseTo(1, 5);
    expect(y[1]).toBeCloseTo(1, 5);
  });

  it('the shorter equal-std path agrees with the general formula', async () => {
    // The same points with stds equal (short path) or differing by one part in 1e9 (general path).
    const points = [0.3, -1.2, 1.5, 0.4, -0.8, 0.9, 0.1, 0.1];
    const equal = { ...pointSetMixture(points, 2, 0.2), weights: Float64Array.of(0.1, 0.2, 0.3, 0.4) };
    const general = { ...equal, stds: equal.stds.map((s, k) => s * (1 + k * 1e-9)) };
    const x = tf.tensor2d([0.5, -0.5, 2, 1, -1, 0.2], [3, 2]);
    const t = Float64Array.of(0.01, 0.4, 5);
    const a = await new MixtureDenoiser(equal).denoise(x, t).data();
    const b = await new MixtureDenoiser(general).denoise(x, t).data();
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
  });

  it('weighs components by mixture weight and by their own variance', async () => {
    // Two components at the same place with different stds: the result mixes both shrinkages.
    const m = { dim: 1, means: Float64Array.of(0, 0), stds: Float64Array.of(0.1, 1), weights: Float64Array.of(0.5, 0.5) };
    const D = new MixtureDenoiser(m);
    const x = 0.7;
    const t = 0.5;
    const y = (await D.denoise(tf.tensor2d([x], [1, 1]), Float64Array.of(t)).data())[0];
    const comp = [0.1, 1].map((s) => {
      const v = s * s + t * t;
      return { like: Math.exp(-(x * x) / (2 * v)) / Math.sqrt(v), mean: ((s * s) / v) * x };
    });
    const want = (comp[0].like * comp[0].mean + comp[1].like * comp[1].mean) / (comp[0].like + comp[1].like);
    expect(y).toBeCloseTo(want, 5);
  });
});

describe('PF-ODE trajectories', () => {
  it('match the closed-form Gaussian solution x_t = mu + (x_T - mu) sqrt(s^2 + t^2) / sqrt(s^2 + T^2)', async () => {
    const mu = [0.3, -0.2];
    const s = 0.5;
    const D = gaussian(2, mu, s);
    const xT = Float32Array.from([80, -40, -20, 60]);
    const { times, states } = await pfOdeTrajectories(D, xT, [2], { eps: 0.002, T: 80, rho: 7 }, 80);
    expect(times[0]).toBe(80);
    expect(times[times.length - 1]).toBe(0.002);
    for (const i of [10, 40, times.length - 1]) {
      const ratio = Math.sqrt(s * s + times[i] ** 2) / Math.sqrt(s * s + 80 * 80);
      for (let j = 0; j < 4; j++) {
        const want = mu[j % 2] + (xT[j] - mu[j % 2]) * ratio;
        expect(Math.abs(states[i][j] - want)).toBeLessThan(2e-3 * Math.max(1, Math.abs(want)));
      }
    }
  });

  it('keep a state at each extra time asked for (a training grid), still on the exact solution', async () => {
    const mu = [0.3, -0.2];
    const s = 0.5;
    const D = gaussian(2, mu, s);
    const xT = Float32Array.from([80, -40]);
    const extra = [0.585348, 1.92334, 0.002, 80, 100]; // the ends are there already; 100 is outside [eps, T]
    const { times, states } = await pfOdeTrajectories(D, xT, [2], { eps: 0.002, T: 80, rho: 7 }, 80, extra);
    expect(times).toHaveLength(82);
    expect(states).toHaveLength(82);
    expect(Array.from(times.slice(1)).every((t, i) => t < times[i])).toBe(true); // strictly descending
    for (const t of [0.585348, 1.92334]) {
      const i = times.indexOf(t);
      expect(i).toBeGreaterThan(0);
      const ratio = Math.sqrt(s * s + t * t) / Math.sqrt(s * s + 80 * 80);
      for (let j = 0; j < 2; j++) {
        const want = mu[j] + (xT[j] - mu[j]) * ratio;
        expect(Math.abs(states[i][j] - want)).toBeLessThan(2e-3 * Math.max(1, Math.abs(want)));
      }
    }
  });
});
