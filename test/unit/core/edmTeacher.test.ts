// The learned EDM teacher's training distribution (consistency-models.md section 2): ln t ~ N(-1.2, 1.2^2),
// clamped to [eps, T], and the loss weight (t^2 + sigma_d^2) / (t sigma_d)^2. Statistics of many draws are
// compared with the lognormal's own mean and quantiles, with bounds of 5 standard errors of the estimate at
// that sample size (seeded, so the outcome is fixed; a wrong P_mean or P_std moves them by hundreds).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { edmDenoiserFunction } from '../../../src/core/cm/consistencyFunction';
import { edmLossWeight, edmOut } from '../../../src/core/cm/parameterisation';
import { presetDataset } from '../../../src/core/data/dataset2d';
import { createMlp } from '../../../src/core/models/mlp';
import { Rng } from '../../../src/core/rng';
import { EDM_P_MEAN, EDM_P_STD, EdmTeacherTrainer, edmTrainingTimes } from '../../../src/core/teacher/edmTeacher';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const n = 200_000;
const Z90 = 1.2815515655446004; // standard normal 90% quantile
const Z99 = 2.3263478740408408;
const fractionBelow = (xs: Float64Array, q: number) => xs.reduce((c, v) => c + (v < q ? 1 : 0), 0) / xs.length;

describe('EDM teacher: training times', () => {
  const t = edmTrainingTimes(n, new Rng(2024, 'edm-times'), 1e-12, 1e12); // clamping out of the way

  it('P_mean = -1.2 and P_std = 1.2 (the doc\'s values)', () => {
    expect(EDM_P_MEAN).toBe(-1.2);
    expect(EDM_P_STD).toBe(1.2);
  });

  it('ln t has mean -1.2 and variance 1.44 within 5 standard errors', () => {
    const logs = Float64Array.from(t, Math.log);
    const mean = logs.reduce((a, v) => a + v, 0) / n;
    const variance = logs.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean - -1.2)).toBeLessThan((5 * 1.2) / Math.sqrt(n)); // 0.0134
    expect(Math.abs(variance - 1.44)).toBeLessThan(5 * 1.44 * Math.sqrt(2 / (n - 1))); // 0.0228
  });

  it('t has the lognormal mean exp(P_mean + P_std^2 / 2) = 0.6188 within 5 standard errors', () => {
    const mean = t.reduce((a, v) => a + v, 0) / n;
    const want = Math.exp(-1.2 + 0.72);
    const sd = Math.sqrt((Math.exp(1.44) - 1) * Math.exp(2 * -1.2 + 1.44));
    expect(want).toBeCloseTo(0.6188, 4);
    expect(Math.abs(mean - want)).toBeLessThan((5 * sd) / Math.sqrt(n)); // 0.0124
  });

  it('the lognormal quantiles split the draws as they should (1%, 10%, 50%, 90%, 99%)', () => {
    for (const [p, z] of [[0.01, -Z99], [0.1, -Z90], [0.5, 0], [0.9, Z90], [0.99, Z99]]) {
      const q = Math.exp(-1.2 + 1.2 * z);
      expect(Math.abs(fractionBelow(t, q) - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
    // The median is e^-1.2 = 0.301.
    expect(Math.exp(-1.2)).toBeCloseTo(0.3012, 4);
  });

  it('clamps to [eps, T]: the lognormal mass beyond each end lands on it', () => {
    // eps and T at the 10% and 90% quantiles: 10% of the draws each sit exactly on eps and on T.
    const eps = Math.exp(-1.2 - 1.2 * Z90);
    const T = Math.exp(-1.2 + 1.2 * Z90);
    const c = edmTrainingTimes(n, new Rng(7, 'edm-clamp'), eps, T);
    expect(c.every((v) => v >= eps && v <= T)).toBe(true);
    const atEps = c.reduce((k, v) => k + (v === eps ? 1 : 0), 0) / n;
    const atT = c.reduce((k, v) => k + (v === T ? 1 : 0), 0) / n;
    const bound = 5 * Math.sqrt((0.1 * 0.9) / n);
    expect(Math.abs(atEps - 0.1)).toBeLessThan(bound);
    expect(Math.abs(atT - 0.1)).toBeLessThan(bound);
  });
});

describe('EDM teacher: loss weight', () => {
  it('(t^2 + sigma_d^2) / (t sigma_d)^2 at known points', () => {
    expect(edmLossWeight(0.5, 0.5)).toBeCloseTo(8, 12);
    expect(edmLossWeight(1, 0.5)).toBeCloseTo(5, 12);
    expect(edmLossWeight(80, 0.5)).toBeCloseTo(4.00015625, 10);
    expect(edmLossWeight(0.002, 0.5)).toBeCloseTo(250004, 6);
    expect(edmLossWeight(2, 1)).toBeCloseTo(1.25, 12);
  });

  it('is 1 / c_out(t)^2, so every noise level contributes a unit-scale loss', () => {
    for (const t of [0.002, 0.03, 0.3, 1, 7, 80]) {
      for (const sd of [0.5, 1]) expect(edmLossWeight(t, sd) * edmOut(t, sd) ** 2).toBeCloseTo(1, 12);
    }
  });

  it('a training step uses exactly these times and weights: its loss, recomputed from its draws', async () => {
    const ds = presetDataset('moons', 0.5);
    const data = { dataShape: [2], sample: ds.sample };
    const net = createMlp({ kind: 'mlp', dataShape: [2], width: 16, depth: 2, activation: 'silu', timeFeatures: 8 });
    const scalings = { eps: 0.002, sigmaData: 0.5, cNoiseConvention: 'jax' as const };
    const tr = new EdmTeacherTrainer(net, data, {
      seed: 3, batchSize: 64, eps: 0.002, T: 80, scalings,
      optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, warmupSteps: 0, gradClip: 0 },
    });
    const copy = (r: Rng) => {
      const c = new Rng(0);
      c.setState(r.getState());
      return c;
    };
    const dataRng = copy(tr.streams.data);
    const trainRng = copy(tr.streams.train);
    const params = await tr.params.read();
    const loss = tr.trainStep();
    const got = (await loss.data())[0];
    loss.dispose();

    const B = 64;
    const x0 = data.sample(B, dataRng);
    const t = edmTrainingTimes(B, trainRng, 0.002, 80);
    const z = trainRng.normals(B * 2);
    const recompute = (weight: (v: number) => number) => tf.tidy(() => {
      const x = tf.tensor2d(x0, [B, 2]);
      const noisy = tf.add(x, tf.mul(tf.tensor2d(Float32Array.from(t), [B, 1]), tf.tensor2d(z, [B, 2])));
      const D = edmDenoiserFunction(net, params.map((v, i) => tf.tensor(v, net.params[i].shape)), noisy, t, scalings);
      const w = tf.tensor1d(Float32Array.from(t, weight));
      return tf.mean(tf.mul(w, tf.mean(tf.squaredDifference(D, x), 1))).dataSync()[0];
    });
    const want = recompute((v) => edmLossWeight(v, 0.5));
    expect(Math.abs(got - want)).toBeLessThan(1e-5 * want);
    // Without the weight (lambda = 1) the loss is far off: the check can tell.
    expect(Math.abs(recompute(() => 1) - want)).toBeGreaterThan(0.5 * want);
    tr.dispose();
  });
});
