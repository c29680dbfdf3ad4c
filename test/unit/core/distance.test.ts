// The distances d(x, y) of the consistency loss (consistency-models.md section 6): l2 and l1 as means over a
// sample's values, iCT's pseudo-Huber sqrt(||x - y||^2 + c^2) - c on the whole per-sample vector with
// c = 0.00054 sqrt(d) (golden: 7.6e-4 for 2D, 0.0151 for MNIST's 784), and the constant the runs really use.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { defaultHuberC, l1Distance, l2Distance, pseudoHuberDistance } from '../../../src/core/cm/distance';
import { TrainingSession } from '../../../src/core/run/session';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const read = (t: tf.Tensor) => Array.from(t.dataSync());

describe('pseudo-Huber constant c = 0.00054 sqrt(d)', () => {
  it('matches the golden values for d = 2 and d = 784', () => {
    expect(defaultHuberC(2)).toBeCloseTo(0.00054 * Math.SQRT2, 12);
    expect(defaultHuberC(2).toPrecision(2)).toBe('0.00076');
    expect(defaultHuberC(784)).toBeCloseTo(0.01512, 12);
    expect(defaultHuberC(784).toPrecision(3)).toBe('0.0151');
  });

  it('is what a run uses with huber-c 0 (auto), for 2D points and for 28x28 digits; an explicit c wins', () => {
    const tiny: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 8, metric: 'pseudo-huber', mode: 'ct' };
    const x = tf.tensor2d([[3, 4]]);
    const y = tf.tensor2d([[0, 0]]);
    const auto2d = new TrainingSession({ ...tiny, huberC: 0 });
    const c2 = 0.00054 * Math.SQRT2;
    expect(read(auto2d.distance(x, y))[0]).toBeCloseTo(Math.sqrt(25 + c2 * c2) - c2, 5);
    // One difference in the quadratic regime, where the value is ~ |d|^2 / (2c) and so shows c itself.
    const small = tf.tensor2d([[1e-4, 0]]);
    expect(read(auto2d.distance(small, tf.zerosLike(small)))[0]).toBeCloseTo(Math.sqrt(1e-8 + c2 * c2) - c2, 9);
    const explicit = new TrainingSession({ ...tiny, huberC: 0.5 });
    expect(read(explicit.distance(x, y))[0]).toBeCloseTo(Math.sqrt(25.25) - 0.5, 5);

    const digits = { dataShape: [28, 28, 1], sample: (n: number) => new Float32Array(n * 784) };
    const mnist = new TrainingSession({ ...tiny, dataset: 'mnist', model: 'unet-tiny', huberC: 0 }, { imageData: digits }, 8);
    const c784 = 0.01512;
    const a = tf.fill([1, 28, 28, 1], 0.01); // ||d||^2 = 784 * 1e-4 = 0.0784
    expect(read(mnist.distance(a, tf.zerosLike(a)))[0]).toBeCloseTo(Math.sqrt(0.0784 + c784 * c784) - c784, 5);
    for (const s of [auto2d, explicit, mnist]) s.dispose();
  });
});

describe('distance values', () => {
  const x = tf.tensor2d([[3, 4], [1, -1], [0.5, 0.5], [0, 0]]);
  const y = tf.tensor2d([[0, 0], [1, 1], [0.5, 0.5], [-2, 0]]);

  it('pseudo-Huber on the per-sample vector: 0 at equality, ~|d|^2/(2c) for |d| << c, ~|d| - c for |d| >> c', () => {
    const c = 0.1;
    const got = read(pseudoHuberDistance(c)(x, y));
    const want = [Math.sqrt(25 + 0.01) - 0.1, Math.sqrt(4 + 0.01) - 0.1, 0, Math.sqrt(4 + 0.01) - 0.1];
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    expect(got[0]).toBeCloseTo(5 - c, 2); // linear regime
    const tiny = read(pseudoHuberDistance(c)(tf.tensor2d([[0.003, -0.004]]), tf.tensor2d([[0, 0]])))[0];
    expect(tiny).toBeCloseTo(0.005 ** 2 / (2 * c), 6); // quadratic regime (1.25e-4; the next term is 8e-8)
    // Over every non-batch axis of an image batch: the norm of the whole difference, not per pixel.
    const img = tf.fill([2, 28, 28, 1], 0.5);
    const imgGot = read(pseudoHuberDistance(0.01512)(img, tf.zerosLike(img)));
    imgGot.forEach((v) => expect(v).toBeCloseTo(Math.sqrt(784 * 0.25 + 0.01512 ** 2) - 0.01512, 4));
  });

  it('l1 and l2 are means of |x - y| and (x - y)^2 over each sample', () => {
    const l1 = read(l1Distance(x, y));
    const l2 = read(l2Distance(x, y));
    [3.5, 1, 0, 1].forEach((v, i) => expect(l1[i]).toBeCloseTo(v, 6));
    [12.5, 2, 0, 2].forEach((v, i) => expect(l2[i]).toBeCloseTo(v, 6));
    const img = tf.tensor4d(Float32Array.from({ length: 2 * 4 }, (_, i) => (i < 4 ? i : -1)), [2, 2, 2, 1]);
    expect(read(l1Distance(img, tf.zerosLike(img)))).toEqual([1.5, 1]);
    expect(read(l2Distance(img, tf.zerosLike(img)))).toEqual([3.5, 1]);
  });
});
