// The exact mixture denoiser and PF-ODE flow map against few-step-methods.md section 8's golden values
// (computed in float64 by the sheet's section 9 script: RK4 with 4000 steps, checked against DOP853).
import { describe, expect, it } from 'vitest';
import type { Mixture } from '../../../src/core/data/mixture';
import { exactFlowMap, mixtureDenoise } from '../../../src/core/methods/exactFlowMap';

const mix: Mixture = { weights: Float64Array.of(0.3, 0.7), means: Float64Array.of(-1, 0, 1, 0.5), stds: Float64Array.of(0.1, 0.3), dim: 2 };
const close = (got: ArrayLike<number>, want: number[], tol: number) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, -Math.log10(tol)));

describe('exact Gaussian-mixture denoiser and flow map (sheet section 8)', () => {
  it('D(x, sigma) matches the golden values (the (n/2) ln(s_k^2 + sigma^2) term included)', () => {
    const out = new Float64Array(2);
    close(mixtureDenoise(mix, [0.2, -0.1], 0.5, out), [0.560965, 0.296165], 1e-6);
    close(mixtureDenoise(mix, [0.2, -0.1], 2.0, out), [0.404575, 0.344620], 1e-6);
  });

  it('X*(x, sigma -> sigma\') matches the golden values', () => {
    close(exactFlowMap(mix, [0.2, -0.1], 2, 0.002, 400), [0.766918, 0.383214], 1e-5);
    close(exactFlowMap(mix, [0.2, -0.1], 2, 0.5, 400), [0.548043, 0.273263], 1e-5);
    close(exactFlowMap(mix, [20, -10], 80, 0.002, 400), [0.939772, 0.428223], 1e-5);
  });

  it('the default 60 steps per unit of ln sigma stays within 1e-4 of the golden end', () => {
    close(exactFlowMap(mix, [20, -10], 80, 0.002), [0.939772, 0.428223], 1e-4);
  });

  it('FM one-step exact map from noise z at t = 1 - 1e-6 lands on the golden point', () => {
    const t0 = 1 - 1e-6;
    close(exactFlowMap(mix, [0.3 / (1 - t0), -1.2 / (1 - t0)], t0 / (1 - t0), 0.002, 400), [0.925894, 0.103331], 1e-5);
  });

  it('a single Gaussian follows the closed form m + (x - m) sqrt((s^2 + s\'^2)/(s^2 + sigma^2))', () => {
    const one: Mixture = { weights: Float64Array.of(1), means: Float64Array.of(0.5, -0.5), stds: Float64Array.of(0.3), dim: 2 };
    close(exactFlowMap(one, [1, 2], 2, 0.002), [0.574172, -0.129141], 1e-6);
    const k = Math.sqrt((0.09 + 0.002 ** 2) / (0.09 + 4));
    close(exactFlowMap(one, [1, 2], 2, 0.002), [0.5 + 0.5 * k, -0.5 + 2.5 * k], 1e-6);
  });
});

describe('batched exact flow map (what the flow-map error uses)', () => {
  it('agrees with the one-point RK4 at 400 steps per unit to 1e-5 with 12 steps per unit', async () => {
    const { exactFlowMapBatch } = await import('../../../src/core/methods/exactFlowMap');
    const xs = [0.2, -0.1, 20, -10, 1.5, 0.4];
    const got = exactFlowMapBatch(mix, xs, 2, 0.002, 12);
    for (let i = 0; i < 3; i++) close(got.subarray(2 * i, 2 * i + 2), Array.from(exactFlowMap(mix, xs.slice(2 * i, 2 * i + 2), 2, 0.002, 400)), 1e-5);
  });
});
