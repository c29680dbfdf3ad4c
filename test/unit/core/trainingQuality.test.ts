// Short CD and CT runs must really learn: the one-step sliced Wasserstein distance to the data drops
// well below that of the untrained model. Thresholds were measured on the cpu backend (400 steps:
// CD 0.098, CT 0.133, untrained 0.446, estimator floor 0.027, with lr 3e-3) and set with margin.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { TrainingSession } from '../../../src/core/run/session';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const base: Config = { ...DEFAULTS, dataset: 'eight-gaussians', width: 64, depth: 3, batchSize: 128, seed: 1, evalEma: 0.99 };

async function train(config: Config, steps: number) {
  const s = new TrainingSession(config, {}, 800);
  const untrained = await s.evaluate();
  for (let i = 0; i < steps; i++) {
    const r = await s.trainStep();
    r.loss.dispose();
  }
  const trained = await s.evaluate();
  console.info(`${config.mode}: one-step SWD ${untrained.swd1.toFixed(4)} -> ${trained.swd1.toFixed(4)} after ${steps} steps (floor ${trained.swdFloor.toFixed(4)})`);
  s.dispose();
  return { untrained, trained };
}

describe('short training runs on eight Gaussians (cpu backend)', () => {
  it('CD with the exact teacher and Heun brings the one-step SWD below 0.18', async () => {
    const { untrained, trained } = await train({ ...base, mode: 'cd', solver: 'heun' }, 400);
    expect(untrained.swd1).toBeGreaterThan(0.35);
    expect(trained.swd1).toBeLessThan(0.18);
    expect(trained.swdTeacher!).toBeLessThan(0.06); // the exact teacher's ODE samples are near the floor
    expect(trained.swdFloor).toBeLessThan(0.06);
  }, 240_000);

  it('CT from scratch brings the one-step SWD below 0.23', async () => {
    const { untrained, trained } = await train({ ...base, mode: 'ct' }, 400);
    expect(untrained.swd1).toBeGreaterThan(0.35);
    expect(trained.swd1).toBeLessThan(0.23);
  }, 240_000);
});
