// The MLP's dense layers carry hand-written gradients (src/core/models/dense.ts); with time features in every
// layer the network must still have exactly the gradients of the plain formula under tfjs autodiff.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMlp, mlpParams } from '../../../src/core/models/mlp';
import { frequencyTensor, sinusoidalFeatures, timeFrequencies } from '../../../src/core/models/timeFeatures';
import type { MlpSpec } from '../../../src/core/models/types';
import { Rng } from '../../../src/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const spec: MlpSpec = { kind: 'mlp', dataShape: [2], width: 6, depth: 3, activation: 'silu', timeFeatures: 4, timeConditioning: 'every-layer' };

/** The architecture written out with plain matMul: h <- silu(h W_l + phi(c) V_l + b_l), V_l a separate projection. */
function reference(p: tf.Tensor[], x: tf.Tensor2D, c: tf.Tensor1D): tf.Tensor2D {
  const feats = sinusoidalFeatures(c, frequencyTensor(timeFrequencies(spec.timeFeatures)));
  let h: tf.Tensor2D = tf.concat([x, feats], 1);
  for (let l = 0; l < spec.depth; l++) {
    const w = p[2 * l] as tf.Tensor2D;
    let z = tf.matMul(h, l === 0 ? w : tf.slice(w, [0, 0], [spec.width, spec.width]));
    if (l > 0) z = tf.add(z, tf.matMul(feats, tf.slice(w, [spec.width, 0], [spec.timeFeatures, spec.width])));
    z = tf.add(z, p[2 * l + 1]);
    h = tf.mul(z, tf.sigmoid(z));
  }
  return tf.add(tf.matMul(h, p[2 * spec.depth] as tf.Tensor2D), p[2 * spec.depth + 1]);
}

describe('MLP with time features in every hidden layer', () => {
  it('has a projection of the time features per later layer', () => {
    expect(mlpParams(spec).map((q) => q.shape)).toEqual([[6, 6], [6], [10, 6], [6], [10, 6], [6], [6, 2], [2]]);
    expect(mlpParams({ ...spec, timeConditioning: undefined }).map((q) => q.shape)[2]).toEqual([6, 6]);
  });

  it('value and gradients (parameters and input) equal autodiff of the plain formula', async () => {
    const rng = new Rng(4);
    const net = createMlp(spec);
    // Random non-zero values everywhere (the real init zeroes the output layer, which would hide gradients).
    const params = net.params.map((q) => tf.tensor(rng.normals(q.shape.reduce((a, b) => a * b, 1)), q.shape));
    const x = tf.tensor2d(rng.normals(5 * 2), [5, 2]);
    const c = tf.tensor1d(rng.normals(5));
    const up = tf.tensor2d(rng.normals(5 * 2), [5, 2]); // random upstream gradient
    const loss = (f: (p: tf.Tensor[], x: tf.Tensor2D) => tf.Tensor) => (...args: tf.Tensor[]) =>
      tf.sum(tf.mul(f(args.slice(1), args[0] as tf.Tensor2D), up));
    const ours = loss((p, xx) => net.forward(p, xx, c));
    const plain = loss((p, xx) => reference(p, xx, c));
    expect((await ours(x, ...params).data())[0]).toBeCloseTo((await plain(x, ...params).data())[0], 4);
    const g1 = tf.grads(plain)([x, ...params]);
    const g2 = tf.grads(ours)([x, ...params]);
    for (let i = 0; i < g1.length; i++) {
      const a = await g1[i].data();
      const b = await g2[i].data();
      const scale = Math.max(1, ...Array.from(a, Math.abs));
      a.forEach((v, j) => expect(Math.abs(b[j] - v) / scale).toBeLessThan(1e-5));
    }
  });
});
