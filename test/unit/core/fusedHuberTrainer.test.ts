// A CT trainer with the pseudo-Huber metric takes the tape-free fused step (as l2 does), and trains as the
// automatic-differentiation path does: same losses and weights from the same seed. The tape path is
// reached with the same distance wrapped in a closure (unknown to the trainer, so not fused).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { ConsistencyTrainer } from '../../../src/core/cm/consistencyTrainer';
import { defaultHuberC, pseudoHuberDistance, type DistanceFn } from '../../../src/core/cm/distance';
import { presetDataset } from '../../../src/core/data/dataset2d';
import { createMlp } from '../../../src/core/models/mlp';

afterAll(async () => {
  await tf.setBackend('cpu');
});

const dataset = presetDataset('moons', 0.5);
const data = { dataShape: [2], sample: dataset.sample };

function makeTrainer(distance: DistanceFn, mu: number): ConsistencyTrainer {
  const config: Config = { ...DEFAULTS, mode: 'ct', metric: 'pseudo-huber', width: 16, depth: 2, timeFeatures: 8, batchSize: 32, N: 10, mu, lr: 1e-2, warmupSteps: 0, lrDecay: 'constant' };
  const net = createMlp({ kind: 'mlp', dataShape: [2], width: config.width, depth: config.depth, activation: config.activation, timeFeatures: config.timeFeatures });
  return new ConsistencyTrainer({ config, net, data, distance });
}

async function run(distance: DistanceFn, mu: number, steps: number) {
  const tr = makeTrainer(distance, mu);
  const losses: number[] = [];
  let kernels = 0;
  for (let k = 0; k < steps; k++) {
    const prof = await tf.profile(async () => {
      const r = tr.trainStep();
      losses.push((await r.loss.data())[0]);
      r.loss.dispose();
    });
    kernels = prof.kernels.length;
  }
  const weights = (await tr.online.read()).flatMap((a) => Array.from(a));
  const fused = tr.fused !== null;
  tr.dispose();
  return { losses, weights, kernels, fused };
}

describe.each(['cpu', 'wasm'])('CT with pseudo-Huber on %s', (backend) => {
  it.each([
    ['c auto, target = online (mu 0)', defaultHuberC(2), 0],
    ['c = 0.1, EMA target (mu 0.9)', 0.1, 0.9],
  ] as const)('%s: the fused step gives the tape path\'s losses and weights', async (_label, c, mu) => {
    expect(await tf.setBackend(backend)).toBe(true);
    const huber = pseudoHuberDistance(c);
    const fused = await run(huber, mu, 5);
    const tape = await run((x, y) => huber(x, y), mu, 5);
    expect(fused.fused).toBe(true);
    expect(tape.fused).toBe(false);
    expect(fused.kernels).toBeLessThan(tape.kernels);
    fused.losses.forEach((l, k) => expect(Math.abs(l - tape.losses[k]) / tape.losses[k], `step ${k}`).toBeLessThan(1e-5));
    const scale = Math.max(...tape.weights.map(Math.abs));
    const worst = Math.max(...fused.weights.map((w, i) => Math.abs(w - tape.weights[i])));
    const lossErr = Math.max(...fused.losses.map((l, k) => Math.abs(l - tape.losses[k]) / tape.losses[k]));
    console.log(backend, _label, JSON.stringify({ kernels: [fused.kernels, tape.kernels], lossErr, weightErr: worst / scale }));
    expect(worst / scale).toBeLessThan(1e-5);
    // The steps did train (the loss moved), so equal weights are not equal initial weights.
    expect(Math.abs(fused.losses[4] - fused.losses[0])).toBeGreaterThan(1e-3 * fused.losses[0]);
  });
});
