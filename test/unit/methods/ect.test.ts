// ECT (few-step-methods.md section 3): the Delta t schedule, the loss and the time draws against the
// sheet's golden values (section 3.6), the exact boundary f(x, 0) = x, and "starts as the teacher".
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/core/config';
import { edmDenoiserFunction } from '../../../src/core/cm/consistencyFunction';
import { ectF, ectMethod, ectR, ectRowLoss, ectStage } from '../../../src/core/methods/ect';
import { createMlp } from '../../../src/core/models/mlp';
import { Rng } from '../../../src/core/rng';
import { fakeContext } from './fakeNets';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ts = [0.01, 0.1, 0.5, 1, 2, 5, 10, 80];
const GOLDEN_DT: [number, number, number[]][] = [
  [2, 0, [0.01, 0.1, 0.5, 1, 1.95362, 2.63386, 5.00182, 40]],
  [2, 1, [0.01, 0.1, 0.5, 0.787883, 0.976812, 1.31693, 2.50091, 20]],
  [2, 2, [0.006225, 0.0600021, 0.25127, 0.393941, 0.488406, 0.658464, 1.25045, 10]],
  [2, 3, [0.0031125, 0.030001, 0.125635, 0.196971, 0.244203, 0.329232, 0.625227, 5]],
  [2, 7, [0.000194531, 0.00187507, 0.0078522, 0.0123107, 0.0152627, 0.020577, 0.0390767, 0.3125]],
  [256, 0, [0.000194531, 0.00187507, 0.0078522, 0.0123107, 0.0152627, 0.020577, 0.0390767, 0.3125]],
];

describe('ECT schedule and loss (sheet section 3.6)', () => {
  it.each(GOLDEN_DT)('Delta t = t - r for q = %d, stage %d', (q, stage, want) => {
    ts.forEach((t, i) => expect((t - ectR(t, stage, q, 8, 1)) / want[i]).toBeCloseTo(1, 5));
  });

  it('r = 0 exactly up to t = ln 7 at stage 0 and ln(5/3) at stage 1, never from stage 2', () => {
    expect(ectR(1.94, 0, 2, 8, 1)).toBe(0);
    expect(ectR(1.96, 0, 2, 8, 1)).toBeGreaterThan(0);
    expect(ectR(0.51, 1, 2, 8, 1)).toBe(0);
    expect(ectR(0.52, 1, 2, 8, 1)).toBeGreaterThan(0);
    expect(ectR(0.001, 2, 2, 8, 1)).toBeGreaterThan(0);
  });

  it('the loss per row is the plain L2 norm over Delta t (c = 0) or pseudo-Huber (c > 0)', () => {
    const sq = tf.tensor1d([(0.3 - 0.1) ** 2 + (-0.2 - 0.1) ** 2]);
    expect(ectRowLoss(sq, [1], [0.5], 0).dataSync()[0]).toBeCloseTo(0.7211103, 6);
    expect(ectRowLoss(sq, [1], [0.5], 0.03).dataSync()[0]).toBeCloseTo(0.6636021, 6);
  });

  it('stages: the budget after the pre-fit split into 8 (steps per stage 0), or a given stage length', () => {
    const c = { ...DEFAULTS, steps: 2000, ectStageSteps: 0 };
    expect(ectStage(c, 299, 300)).toBe(0);
    expect(ectStage(c, 300 + 212, 300)).toBe(0);
    expect(ectStage(c, 300 + 213, 300)).toBe(1);
    expect(ectStage(c, 1999, 300)).toBe(7);
    expect(ectStage({ ...c, ectStageSteps: 100 }, 250, 0)).toBe(2);
  });

  it('the default schedule is one stage at q = 8: the paper\'s stage-2 Delta t for the whole run', () => {
    const c = { ...DEFAULTS, steps: 1_000_000 };
    expect(ectStage(c, c.steps - 1, c.ectPrefitSteps)).toBe(0);
    const stage2 = GOLDEN_DT.find(([q, s]) => q === 2 && s === 2)![2];
    ts.forEach((t, i) => expect((t - ectR(t, ectStage(c, 5000, 300), c.ectQ, c.ectK, c.ectB)) / stage2[i]).toBeCloseTo(1, 5));
  });

  it('t = exp(P_mean + P_std xi) has the golden quantiles (-1.1, 2.0)', () => {
    const ctx = fakeContext(createMlp({ kind: 'mlp', dataShape: [2], width: 8, depth: 1, activation: 'silu', timeFeatures: 4 }), { batchSize: 40000, T: 1e6, eps: 1e-9 });
    const d = ectMethod.draw(ctx, { data: new Rng(1, 'd'), train: new Rng(1, 't') }, 0);
    const sorted = Float64Array.from(d.t).sort();
    const q = (p: number) => sorted[Math.floor(p * sorted.length)];
    expect(q(0.1) / 0.025653).toBeCloseTo(1, 1);
    expect(q(0.5) / 0.332871).toBeCloseTo(1, 1);
    expect(q(0.9) / 4.319342).toBeCloseTo(1, 1);
  });
});

describe('ECT parameterisation', () => {
  const net = createMlp({ kind: 'mlp', dataShape: [2], width: 16, depth: 2, activation: 'silu', timeFeatures: 4, timeConditioning: 'every-layer' });
  // Non-zero output weights, so F is not 0 and the boundary is a real test.
  const params = net.init(new Rng(3, 'init')).map((p, i) => tf.tensor(p.map((v, j) => (v === 0 ? 0.3 * Math.sin(j + i) : v)), net.params[i].shape));
  const ctx = fakeContext(net);
  const x = tf.tensor2d([0.4, -1.2, 2.5, 0.7, -0.3, 0.05], [3, 2]);

  it('f(x, 0) = x exactly (unshifted EDM scalings, finite time input)', () => {
    const f = ectF(ctx, params, x, [0, 0, 0]);
    expect(Array.from(f.dataSync())).toEqual(Array.from(x.dataSync()));
  });

  it('f is the EDM denoiser of the same weights: ECT starts as the teacher', () => {
    const t = Float64Array.of(0.01, 0.8, 30);
    const f = ectF(ctx, params, x, t).dataSync();
    const D = edmDenoiserFunction(net, params, x, t, { eps: 0.002, sigmaData: 0.5, cNoiseConvention: 'jax' }).dataSync();
    f.forEach((v, i) => expect(v).toBeCloseTo(D[i], 6));
    expect(Math.abs(f[0] - x.dataSync()[0])).toBeGreaterThan(1e-4); // F matters away from t = 0
  });
});
