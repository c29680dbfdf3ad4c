// Algorithm 4 driven by a real (tiny, untrained) network through networkConsistencyFn on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  blockMeans, diagonalGaussianConsistencyFn, networkConsistencyFn, odeConsistencyFn, seededEditNoise, superResolutionProblem, zeroShotEdit,
} from '../../../src/core/edit/index';
import { pointSetMixture } from '../../../src/core/data/mixture';
import { MixtureDenoiser } from '../../../src/core/teacher/mixtureDenoiser';
import { createMlp } from '../../../src/core/models/mlp';
import { Rng } from '../../../src/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const scalings = { eps: 0.002, sigmaData: 0.5, cNoiseConvention: 'jax' as const };
const range = { eps: 0.002, T: 80 };

function tinyNet() {
  // A "4x4 image" as a flat 16-vector: small enough for the cpu backend, big enough for 2x2 patches.
  const net = createMlp({ kind: 'mlp', dataShape: [16], width: 32, depth: 2, activation: 'silu', timeFeatures: 8 });
  const params = net.init(new Rng(3, 'init')).map((v, i) => tf.tensor(v, net.params[i].shape));
  return { net, params };
}

describe('networkConsistencyFn', () => {
  it('keeps the boundary condition f(x, eps) = x and clamps images to [-1, 1]', async () => {
    const { net, params } = tinyNet();
    const x = new Rng(1, 'x').normals(32, 0.5);
    const f = networkConsistencyFn(net, params, [16], scalings);
    expect(Array.from(await f(x, range.eps, 2))).toEqual(Array.from(x));
    const g = networkConsistencyFn(net, params, [16], scalings, true);
    const big = Float32Array.from(x, (v) => v * 10);
    for (const v of await g(big, 5, 2)) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    tf.dispose(params);
  });

  it('drives super-resolution on a 4x4 image: block means kept, no tensors leaked', async () => {
    const { net, params } = tinyNet();
    const f = networkConsistencyFn(net, params, [16], scalings, true);
    await f(new Float32Array(16), 1, 1); // warm-up: tfjs caches a constant on the first call
    const before = tf.memory().numTensors;
    const y = Float32Array.from(new Rng(2, 'y').normals(16), Math.tanh);
    const r = await zeroShotEdit({
      f, dim: 16, reference: y,
      problem: superResolutionProblem(4, 4, 2), times: [80, 2, 0.3], noise: seededEditNoise([1, 2, 3], 3, 16), range,
    });
    expect(tf.memory().numTensors).toBe(before);
    const want = blockMeans(y, 4, 4, 2);
    const got = blockMeans(r.iterates[2], 4, 4, 2);
    for (let k = 0; k < got.length; k++) expect(Math.abs(got[k] - want[k % 4])).toBeLessThan(2e-7);
    tf.dispose(params);
  });
});

describe('odeConsistencyFn (the teacher PF-ODE solved down to eps)', () => {
  it('matches the closed-form consistency function of a Gaussian with the exact denoiser', async () => {
    // Data N(mu, s^2 I) as a one-point mixture of std s: its exact denoiser is section 10's formula.
    const mu = [0.3, -0.2];
    const s = 0.5;
    const D = new MixtureDenoiser(pointSetMixture(mu, 2, s));
    const f = odeConsistencyFn(D, [2], range, 100);
    const exact = diagonalGaussianConsistencyFn(mu, [s, s], range.eps);
    const x = Float32Array.of(3, -1, -12, 7);
    for (const t of [0.5, 5, 80]) {
      const got = await f(x, t, 2);
      const want = exact(x, t, 2) as Float32Array;
      for (let i = 0; i < 4; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-3);
    }
    expect(Array.from(await f(x, range.eps, 2))).toEqual(Array.from(x));
    D.dispose();
  });
});
