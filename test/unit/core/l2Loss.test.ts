import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { l2Distance } from '../../../src/core/cm/distance';
import { l2LossOfF } from '../../../src/core/cm/l2Loss';
import { hostInputs } from '../../../src/core/cm/netInputs';
import { Rng } from '../../../src/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fused l2 consistency loss', () => {
  it('value and gradient in F equal automatic differentiation of mean(lambda * l2(c_skip x + c_out F, target))', async () => {
    const rng = new Rng(5, 'l2');
    const B = 6;
    const x = Float32Array.from(rng.normals(B * 2));
    const t = Float64Array.from({ length: B }, (_, i) => 0.01 * 3 ** i);
    const lambda = Float64Array.from({ length: B }, (_, i) => 1 + i);
    const scalings = { eps: 0.002, sigmaData: 0.5, cNoiseConvention: 'jax' as const };
    const inp = hostInputs(x, t, [B, 2], scalings);
    const target = tf.tensor2d(rng.normals(B * 2), [B, 2]);
    const F = tf.tensor2d(rng.normals(B * 2), [B, 2]);
    const lam = tf.tensor1d(Float32Array.from(lambda));
    const plain = (f: tf.Tensor) => tf.mean(tf.mul(lam, l2Distance(tf.add(inp.skipX, tf.mul(inp.out, f)), target)));
    const fused = l2LossOfF(inp, inp.outValues, target, lambda);
    expect((await fused(F).data())[0]).toBeCloseTo((await plain(F).data())[0], 5);
    const g1 = await tf.grad(plain)(F).data();
    const g2 = await tf.grad(fused)(F).data();
    g1.forEach((v, i) => expect(g2[i]).toBeCloseTo(v, 5));
    expect(g1.some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });
});
