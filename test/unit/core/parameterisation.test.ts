import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cIn, cNoise, cOut, cSkip, edmOut, edmSkip } from '../../../src/core/cm/parameterisation';
import { consistencyFunction } from '../../../src/core/cm/consistencyFunction';
import { createMlp } from '../../../src/core/models/mlp';
import { Rng } from '../../../src/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('consistency parameterisation (reference section 2)', () => {
  const eps = 0.002;
  const sd = 0.5;
  it.each([
    [0.01, 0.999744, 0.007998, 1.9996],
    [1, 0.200641, 0.446319, 0.894427],
    [10, 0.002495, 0.499276, 0.099875],
  ])('t = %f gives c_skip %f, c_out %f, c_in %f', (t, skip, out, inp) => {
    expect(cSkip(t, eps, sd)).toBeCloseTo(skip, 6);
    expect(cOut(t, eps, sd)).toBeCloseTo(out, 6);
    expect(cIn(t, sd)).toBeCloseTo(inp, 6);
  });

  it('c_skip(eps) = 1 and c_out(eps) = 0 exactly', () => {
    expect(cSkip(eps, eps, sd)).toBe(1);
    expect(cOut(eps, eps, sd)).toBe(0);
  });

  it('c_noise follows the JAX convention by default and the PyTorch one on request', () => {
    expect(cNoise(Math.E)).toBeCloseTo(0.25, 14);
    expect(cNoise(Math.E, 'pytorch')).toBeCloseTo(250, 10);
  });

  it('the EDM teacher uses the unshifted scalings', () => {
    expect(edmSkip(1, sd)).toBeCloseTo(0.2, 14);
    expect(edmOut(1, sd)).toBeCloseTo(0.5 / Math.sqrt(1.25), 14);
  });

  it('f(x, eps) = x exactly, even with random non-zero network weights', async () => {
    const net = createMlp({ kind: 'mlp', dataShape: [2], width: 16, depth: 2, activation: 'silu', timeFeatures: 8 });
    const rng = new Rng(3, 'w');
    const params = net.init(rng).map((p, i) => tf.tensor(p.map(() => rng.normal()), net.params[i].shape));
    const xs = Float32Array.from([0.3, -1.7, 12.5, 0.001, -40, 3]);
    const y = consistencyFunction(net, params, tf.tensor2d(xs, [3, 2]), new Float64Array(3).fill(eps), { eps, sigmaData: sd, cNoiseConvention: 'jax' });
    expect(Array.from(await y.data())).toEqual(Array.from(xs));
    const yLater = consistencyFunction(net, params, tf.tensor2d(xs, [3, 2]), new Float64Array(3).fill(1), { eps, sigmaData: sd, cNoiseConvention: 'jax' });
    expect(Array.from(await yLater.data())).not.toEqual(Array.from(xs));
    tf.dispose([y, yLater, ...params]);
  });
});
