import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bilinearMatrix, resizeWithMatrices } from '../../../src/core/lpips/resize';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('bilinear resize (torch align_corners=False)', () => {
  it('has the half-pixel weights torch uses when upsampling 2 -> 4 and downsampling 4 -> 2', () => {
    expect(Array.from(bilinearMatrix(2, 4))).toEqual([1, 0, 0.75, 0.25, 0.25, 0.75, 0, 1]);
    expect(Array.from(bilinearMatrix(4, 2))).toEqual([0.5, 0.5, 0, 0, 0, 0, 0.5, 0.5]);
  });

  it('matches tf.image.resizeBilinear(halfPixelCenters) in value, for MNIST 28 -> 64', () => {
    const x = tf.randomUniform([2, 28, 28, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
    const rows = tf.tensor2d(bilinearMatrix(28, 64), [64, 28]);
    const ours = resizeWithMatrices(x, rows, rows);
    const theirs = tf.image.resizeBilinear(x, [64, 64], false, true);
    expect(tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, rows, ours, theirs]);
  });

  it('has the exact adjoint as its gradient (the cpu resizeBilinear gradient ignores half-pixel centres)', () => {
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    const rows = tf.tensor2d(bilinearMatrix(2, 4), [4, 2]);
    const w = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(resizeWithMatrices(v as tf.Tensor4D, rows, rows), w)))(x);
    // d/dx[i,j] = sum_{o,p} R[o,i] R[p,j] w[o,p]
    const R = bilinearMatrix(2, 4);
    const want: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        let s = 0;
        for (let o = 0; o < 4; o++) for (let p = 0; p < 4; p++) s += R[o * 2 + i] * R[p * 2 + j] * (o * 4 + p);
        want.push(s);
      }
    Array.from(g.dataSync()).forEach((v, k) => expect(v).toBeCloseTo(want[k], 5));
    tf.dispose([x, rows, w, g]);
  });
});
