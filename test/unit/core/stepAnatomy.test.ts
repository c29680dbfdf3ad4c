import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { consistencyFunction } from '../../../src/core/cm/consistencyFunction';
import { ConsistencyTrainer } from '../../../src/core/cm/consistencyTrainer';
import { l2Distance } from '../../../src/core/cm/distance';
import { stepAnatomy } from '../../../src/core/cm/stepAnatomy';
import { presetDataset } from '../../../src/core/data/dataset2d';
import { createMlp } from '../../../src/core/models/mlp';
import { MixtureDenoiser } from '../../../src/core/teacher/mixtureDenoiser';
import { eulerStep, heunStep } from '../../../src/core/teacher/ode';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dataset = presetDataset('moons', 0.5);
const data = { dataShape: [2], sample: dataset.sample };

function makeTrainer(overrides: Partial<Config>) {
  const config: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 32, N: 12, lr: 1e-2, ...overrides };
  const net = createMlp({ kind: 'mlp', dataShape: [2], width: config.width, depth: config.depth, activation: config.activation, timeFeatures: config.timeFeatures });
  return new ConsistencyTrainer({ config, net, data, distance: l2Distance, teacher: new MixtureDenoiser(dataset.mixture) });
}

const flat = async (ps: readonly tf.Tensor[]) => (await Promise.all(ps.map((p) => p.data()))).flatMap((a) => Array.from(a));
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tol * (1 + Math.abs(b[i])));
};
const rowsTensor = (a: Float32Array) => tf.tensor2d(a, [a.length / 2, 2]);

describe('anatomy of a step', () => {
  it('CD with Heun: the numbers are those of a trainer step with the same draws, and looking leaves the run unchanged', async () => {
    const cfg: Partial<Config> = { mode: 'cd', solver: 'heun', seed: 7, mu: 0.9 };
    const looked = makeTrainer(cfg);
    const plain = makeTrainer(cfg);
    // Both one step in, so the target differs from the online net.
    looked.trainStep().loss.dispose();
    plain.trainStep().loss.dispose();
    const paramsBefore = await flat(looked.online.params());
    const a = await stepAnatomy(looked, { rows: 4 });
    expect(a.step).toBe(1);
    expect(a.rows).toBe(4);

    // The same step taken by an untouched trainer: same draws, same loss, same weights afterwards.
    const r = plain.trainStep();
    const loss = (await r.loss.data())[0];
    r.loss.dispose();
    const d = plain.lastDraws!;
    expect(a.loss).toBe(loss);
    expect(a.lossRecomputed).toBeCloseTo(loss, 6);
    expect(Array.from(a.x0)).toEqual(Array.from(d.x0.slice(0, 8)));
    expect(Array.from(a.z)).toEqual(Array.from(d.z.slice(0, 8)));
    expect(a.n).toEqual(Array.from(d.n.slice(0, 4)));
    expect(a.tNext).toEqual(Array.from(d.tNext.slice(0, 4)));

    // Each stage from its formula, independently.
    const xNext = Float32Array.from(a.x0, (v, i) => v + a.tNext[i >> 1] * a.z[i]);
    close(a.xNext, xNext, 1e-6);
    const tNext = Float64Array.from(a.tNext);
    const tCur = Float64Array.from(a.tCur);
    const teacher = plain.parts.teacher!;
    close(a.xHat, heunStep(teacher, rowsTensor(xNext), tNext, tCur).dataSync());
    close(a.heunPredictor!, eulerStep(teacher, rowsTensor(xNext), tNext, tCur).dataSync());
    close(a.denoised!, teacher.denoise(rowsTensor(xNext), tNext).dataSync());
    // fAfter: the untouched trainer's weights after its step, at x_{t_{n+1}}.
    close(a.fAfter, consistencyFunction(plain.parts.net, plain.online.params(), rowsTensor(xNext), tNext, plain.scalings).dataSync(), 1e-5);
    a.distance.forEach((v, i) => {
      const dx = a.fOnline[2 * i] - a.fTarget[2 * i];
      const dy = a.fOnline[2 * i + 1] - a.fTarget[2 * i + 1];
      expect(v).toBeCloseTo((dx * dx + dy * dy) / 2, 6);
    });
    // The optimiser moved f_theta: the update is real.
    expect(a.fAfter.some((v, i) => Math.abs(v - a.fOnline[i]) > 1e-6)).toBe(true);

    // Not applied: the run is where it was, and its next step is the one just shown.
    expect(looked.step).toBe(1);
    expect(await flat(looked.online.params())).toEqual(paramsBefore);
    const again = looked.trainStep();
    expect((await again.loss.data())[0]).toBe(loss);
    again.loss.dispose();
    looked.dispose();
    plain.dispose();
  });

  it('CT: the target point is x_0 + t_n z with the same z; an applied step is the trainer\'s next step', async () => {
    const looked = makeTrainer({ mode: 'ct', seed: 3 });
    const plain = makeTrainer({ mode: 'ct', seed: 3 });
    const a = await stepAnatomy(looked, { rows: 3, apply: true });
    expect(a.denoised).toBeNull();
    expect(a.heunPredictor).toBeNull();
    close(a.xHat, Float32Array.from(a.x0, (v, i) => v + a.tCur[i >> 1] * a.z[i]), 1e-6);
    a.tCur.forEach((t, i) => expect(a.tNext[i]).toBeGreaterThan(t));
    const r = plain.trainStep();
    expect(a.loss).toBe((await r.loss.data())[0]);
    r.loss.dispose();
    expect(looked.step).toBe(1);
    expect(await flat(looked.online.params())).toEqual(await flat(plain.online.params()));
    looked.dispose();
    plain.dispose();
  });

  it('picked points replace the first rows of the batch; bad points are refused and change nothing', async () => {
    const tr = makeTrainer({ mode: 'cd', solver: 'euler', seed: 2 });
    const picked = new Float32Array([0.25, -0.5, 1, 0.75]);
    const a = await stepAnatomy(tr, { rows: 2, picked });
    expect(Array.from(a.x0)).toEqual(Array.from(picked));
    expect(a.heunPredictor).toBeNull();
    close(a.xHat, eulerStep(tr.parts.teacher!, rowsTensor(a.xNext), Float64Array.from(a.tNext), Float64Array.from(a.tCur)).dataSync());
    expect(tr.step).toBe(0);
    await expect(stepAnatomy(tr, { rows: 2, picked: new Float32Array([1, Number.NaN]) })).rejects.toThrow(/finite/);
    await expect(stepAnatomy(tr, { rows: 2, picked: new Float32Array([1, 2, 3]) })).rejects.toThrow(/2 numbers each/);
    expect(tr.step).toBe(0);
    tr.dispose();
  });
});
