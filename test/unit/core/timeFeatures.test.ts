import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { frequencyTensor, sinusoidalFeatures, timeFrequencies } from '../../../src/core/models/timeFeatures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('sinusoidal time features', () => {
  it('are [sin(w c), cos(w c)] and their gradient in c_noise equals automatic differentiation', async () => {
    const freqs = frequencyTensor(timeFrequencies(8));
    const c = tf.tensor1d([-1.5, -0.2, 0.3, 1.1]);
    const up = tf.tensor2d(Array.from({ length: 32 }, (_, i) => Math.sin(i)), [4, 8]);
    const plain = (x: tf.Tensor) => {
      const a = tf.mul(tf.reshape(x, [-1, 1]), freqs);
      return tf.concat([tf.sin(a), tf.cos(a)], 1);
    };
    const got = await sinusoidalFeatures(c, freqs).data();
    const want = await plain(c).data();
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
    const g1 = await tf.grad((x: tf.Tensor) => tf.sum(tf.mul(plain(x), up)))(c).data();
    const g2 = await tf.grad((x: tf.Tensor) => tf.sum(tf.mul(sinusoidalFeatures(x as tf.Tensor1D, freqs), up)))(c).data();
    g1.forEach((v, i) => expect(g2[i]).toBeCloseTo(v, 3));
  });
});
