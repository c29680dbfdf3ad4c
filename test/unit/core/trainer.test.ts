import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { ConsistencyTrainer } from '../../../src/core/cm/consistencyTrainer';
import { consistencyFunction } from '../../../src/core/cm/consistencyFunction';
import { l1Distance, l2Distance } from '../../../src/core/cm/distance';
import { presetDataset } from '../../../src/core/data/dataset2d';
import { createMlp } from '../../../src/core/models/mlp';
import { createUnet, unetPresets } from '../../../src/core/models/unet';
import type { Rng } from '../../../src/core/rng';
import { MixtureDenoiser } from '../../../src/core/teacher/mixtureDenoiser';
import { heunStep } from '../../../src/core/teacher/ode';
import { perSample } from '../../../src/core/tensorUtil';
import { stepLosses } from '../stepLosses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small: Partial<Config> = { width: 16, depth: 2, timeFeatures: 8, batchSize: 16, N: 10 };
const dataset = presetDataset('eight-gaussians', 0.5);
const data = { dataShape: [2], sample: dataset.sample };

function makeTrainer(overrides: Partial<Config>) {
  const config: Config = { ...DEFAULTS, ...small, ...overrides };
  const net = createMlp({ kind: 'mlp', dataShape: [2], width: config.width, depth: config.depth, activation: config.activation, timeFeatures: config.timeFeatures });
  const teacher = new MixtureDenoiser(dataset.mixture);
  return new ConsistencyTrainer({ config, net, data, distance: l2Distance, teacher });
}

async function values(vars: readonly tf.Tensor[]) {
  return Promise.all(vars.map(async (v) => Float32Array.from(await v.data())));
}

describe('one training step', () => {
  it('CT compares f at x + t_{n+1} z with the target at x + t_n z using the SAME z', async () => {
    const tr = makeTrainer({ mode: 'ct', mu: 0.9, optimizer: 'adam' });
    const before = await values(tr.online.params());
    const loss = (await tr.trainStep().loss.data())[0];
    const d = tr.lastDraws!;
    const B = d.n.length;
    // Recompute the loss from the draws with the parameters before the step (target = online at init).
    const recompute = (zTarget: Float32Array) => tf.tidy(() => {
      const params = before.map((v, i) => tf.tensor(v, tr.online.params()[i].shape));
      const x = tf.tensor2d(d.x0, [B, 2]);
      const online = consistencyFunction(tr.parts.net, params, tf.add(x, tf.mul(perSample(d.tNext, 2), tf.tensor2d(d.z, [B, 2]))), d.tNext, tr.scalings);
      const target = consistencyFunction(tr.parts.net, params, tf.add(x, tf.mul(perSample(d.tCur, 2), tf.tensor2d(zTarget, [B, 2]))), d.tCur, tr.scalings);
      return l2Distance(online, target).mean().dataSync()[0];
    });
    expect(recompute(d.z)).toBeCloseTo(loss, 6);
    const otherZ = Float32Array.from(d.z, (v, i) => (i % 2 ? -v : v * 0.5));
    expect(Math.abs(recompute(otherZ) - loss)).toBeGreaterThan(1e-4 * Math.abs(loss) + 1e-9);
    // n is an interval index: t_{n+1} never exceeds the grid and always exceeds t_n.
    for (let i = 0; i < B; i++) {
      expect(d.n[i]).toBeGreaterThanOrEqual(0);
      expect(d.n[i]).toBeLessThanOrEqual(small.N! - 2);
      expect(d.tNext[i]).toBeGreaterThan(d.tCur[i]);
    }
    tr.dispose();
  });

  it('CD targets the teacher\'s Heun step from x_{n+1} back to t_n', async () => {
    const tr = makeTrainer({ mode: 'cd', solver: 'heun', mu: 0.5 });
    const before = await values(tr.online.params());
    const loss = (await tr.trainStep().loss.data())[0];
    const d = tr.lastDraws!;
    const B = d.n.length;
    const want = tf.tidy(() => {
      const params = before.map((v, i) => tf.tensor(v, tr.online.params()[i].shape));
      const xNext = tf.add(tf.tensor2d(d.x0, [B, 2]), tf.mul(perSample(d.tNext, 2), tf.tensor2d(d.z, [B, 2])));
      const xHat = heunStep(tr.parts.teacher!, xNext, d.tNext, d.tCur);
      const online = consistencyFunction(tr.parts.net, params, xNext, d.tNext, tr.scalings);
      const target = consistencyFunction(tr.parts.net, params, xHat, d.tCur, tr.scalings);
      return l2Distance(online, target).mean().dataSync()[0];
    });
    expect(want).toBeCloseTo(loss, 6);
    tr.dispose();
  });

  it('gradients reach only the online network; theta^- moves only by its EMA after the optimiser step', async () => {
    const mu = 0.9;
    const tr = makeTrainer({ mode: 'ct', mu, lr: 1e-2 });
    const before = await values(tr.online.params());
    const r = tr.trainStep();
    r.loss.dispose();
    const online = await values(tr.online.params());
    const target = await values(tr.target!.params());
    let moved = 0;
    online.forEach((o, i) => o.forEach((v, j) => {
      if (v !== before[i][j]) moved++;
      expect(target[i][j]).toBeCloseTo(mu * before[i][j] + (1 - mu) * v, 6);
    }));
    expect(moved).toBeGreaterThan(0);
    // No buffer is a trainable variable, so a stray optimizer.minimize() can never move theta^- or the EMA.
    expect([tr.online, tr.target!, tr.evalEma].some((p) => p.flat.trainable)).toBe(false);
    tr.dispose();
  });

  it('with mu = 0 the target is the online network itself (no copy kept)', () => {
    const tr = makeTrainer({ mode: 'ct', mu: 0 });
    expect(tr.target).toBeNull();
    tr.dispose();
  });

  it('keeps the tensor count flat over many steps', async () => {
    const tr = makeTrainer({ mode: 'cd', solver: 'heun', mu: 0.95 });
    const r0 = tr.trainStep();
    r0.loss.dispose();
    const start = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) tr.trainStep().loss.dispose();
    expect(tf.memory().numTensors).toBe(start);
    tr.dispose();
  });
});

describe('reproducibility', () => {
  const run = async (seed: number) => {
    const tr = makeTrainer({ mode: 'ct', seed, mu: 0.9 });
    const losses = await stepLosses(tr, 5);
    tr.dispose();
    return losses;
  };
  it('the same seed and config give the same losses; another seed does not', async () => {
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
  });

  it('a checkpoint restores the run bit for bit', async () => {
    const tr = makeTrainer({ mode: 'cd', seed: 5, mu: 0.9 });
    for (let i = 0; i < 3; i++) tr.trainStep().loss.dispose();
    const ck = await tr.checkpoint();
    const next = async () => {
      const r = tr.trainStep();
      const v = (await r.loss.data())[0];
      r.loss.dispose();
      return v;
    };
    const first = [await next(), await next()];
    tr.restore(ck);
    expect([await next(), await next()]).toEqual(first);
    tr.dispose();
  });
});

describe('schedules inside the trainer', () => {
  it('follows N(k) and mu(k) of the CT schedule', () => {
    const tr = makeTrainer({ mode: 'ct', nSchedule: 'ct-adaptive', s0: 2, s1: 150, K: 800_000, mu0: 0.9 });
    expect(tr.scheduleAt(0).N).toBe(2);
    expect(tr.scheduleAt(1000).N).toBe(6);
    expect(tr.scheduleAt(0).mu).toBeCloseTo(0.9, 12);
    const r = tr.trainStep();
    r.loss.dispose();
    expect(r.N).toBe(2);
    tr.dispose();
  });

  it('lognormal index sampling draws intervals with the iCT probabilities', () => {
    const tr = makeTrainer({ mode: 'ct', N: 11, indexSampling: 'lognormal', batchSize: 4000 });
    const d = tr.draw(tr.scheduleAt());
    const counts = new Array(10).fill(0);
    d.n.forEach((n) => counts[n]++);
    const golden = [0.0626, 0.1817, 0.2455, 0.2135, 0.1424, 0.0806, 0.0411, 0.0196, 0.0089, 0.0040];
    golden.forEach((p, i) => expect(Math.abs(counts[i] / 4000 - p)).toBeLessThan(0.025));
    tr.dispose();
  });
});

describe('flat buffers work for any network', () => {
  it.each([['l2', l2Distance], ['l1', l1Distance]] as const)('a tiny U-Net trains by CT with the %s distance: every parameter moves, no tensor leaks', async (_, distance) => {
    const net = createUnet(unetPresets.tiny);
    const images = { dataShape: [28, 28, 1], sample: (n: number, rng: Rng) => Float32Array.from(rng.normals(n * 784), (v) => Math.tanh(v)) };
    const config: Config = { ...DEFAULTS, mode: 'ct', batchSize: 2, mu: 0.9, lr: 1e-2 };
    const tr = new ConsistencyTrainer({ config, net, data: images, distance });
    const before = await values(tr.online.params());
    tr.trainStep().loss.dispose();
    const start = tf.memory().numTensors;
    const r = tr.trainStep();
    expect(Number.isFinite((await r.loss.data())[0])).toBe(true);
    r.loss.dispose();
    expect(tf.memory().numTensors).toBe(start);
    const after = await values(tr.online.params());
    after.forEach((p, i) => expect(p.some((v, j) => v !== before[i][j]), net.params[i].name).toBe(true));
    const ema = await values(tr.samplingParams('ema'));
    expect(ema.map((p) => p.length)).toEqual(net.params.map((p) => p.shape.reduce((a, b) => a * b, 1)));
    tr.dispose();
  }, 60_000);
});
