import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dense } from '../../../src/core/models/dense';
import { Rng } from '../../../src/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('dense layer with a hand-written gradient', () => {
  it.each(['linear', 'relu', 'silu'] as const)('%s: value and gradients equal automatic differentiation of the plain formula', async (act) => {
    const rng = new Rng(9);
    const x = tf.tensor2d(rng.normals(5 * 4), [5, 4]);
    const w = tf.tensor2d(rng.normals(4 * 3), [4, 3]);
    const b = tf.tensor1d(rng.normals(3));
    const up = tf.tensor2d(rng.normals(5 * 3), [5, 3]); // random upstream gradient
    const plain = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => {
      const z = tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb);
      return tf.sum(tf.mul(act === 'relu' ? tf.relu(z) : act === 'silu' ? tf.mul(z, tf.sigmoid(z)) : z, up));
    };
    const ours = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(dense(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D, act), up));
    const g1 = tf.grads(plain)([x, w, b]);
    const g2 = tf.grads(ours)([x, w, b]);
    expect((await ours(x, w, b).data())[0]).toBeCloseTo((await plain(x, w, b).data())[0], 5);
    for (let i = 0; i < 3; i++) {
      const a = await g1[i].data();
      const c = await g2[i].data();
      a.forEach((v, j) => expect(c[j]).toBeCloseTo(v, 5));
    }
  });
});
