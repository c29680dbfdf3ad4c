// Short 2D runs of the generic trainer must learn (cpu backend, eight Gaussians, a small MLP). Measured
// values are in each test's comment; thresholds leave a margin, and an untrained or broken method fails them.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, ECT_LR_2D, type Config } from '../../../src/core/config';
import { ectF } from '../../../src/core/methods/ect';
import { TrainingSession } from '../../../src/core/run/session';
import { Rng } from '../../../src/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const base: Config = { ...DEFAULTS, dataset: 'eight-gaussians', width: 64, depth: 3, batchSize: 128, seed: 1, evalEma: 0.99 };
/** ECT's 2D runs keep a constant rate (no warm-up, no decay), whatever CD's and CT's defaults are. */
const ECT_CONSTANT_LR = { warmupSteps: 0, lrDecay: 'constant' } as const;

async function run(config: Config, steps: number) {
  const s = new TrainingSession({ ...config, steps }, {}, 800);
  const before = await s.evaluate();
  for (let i = 0; i < steps; i++) {
    const r = await s.trainStep();
    const loss = (await r.loss.data())[0];
    r.loss.dispose();
    expect(Number.isFinite(loss)).toBe(true);
  }
  const after = await s.evaluate();
  console.info(`${config.mode}: SWD ${before.swd1.toFixed(3)}/${before.swd2.toFixed(3)} -> ${after.swd1.toFixed(3)}/${after.swd2.toFixed(3)} (1/2 steps); `
    + `flow-map error ${before.fme1!.toFixed(3)}/${before.fmeMean!.toFixed(3)} -> ${after.fme1!.toFixed(3)}/${after.fmeMean!.toFixed(3)} (one step/mean)`);
  return { s, before, after };
}

describe('short runs of the new methods learn (eight Gaussians, cpu)', () => {
  it('flow matching: two-step samples and the flow-map error improve', async () => {
    const { s, before, after } = await run({ ...base, mode: 'flow' }, 150);
    expect(after.swd2).toBeLessThan(before.swd2 * THRESH.flowSwd2);
    expect(after.fmeMean!).toBeLessThan(before.fmeMean! * THRESH.flowFme);
    s.dispose();
  }, 240_000);

  it('shortcut models: one-step samples improve several-fold', async () => {
    const { s, before, after } = await run({ ...base, mode: 'shortcut' }, 150);
    expect(after.swd1).toBeLessThan(THRESH.shortcutSwd1);
    expect(after.fme1!).toBeLessThan(before.fme1! * THRESH.shortcutFme);
    s.dispose();
  }, 240_000);

  it('ECT with the exact teacher first fits the exact denoiser (its pre-fit)', async () => {
    const c: Config = { ...base, ...ECT_CONSTANT_LR, mode: 'ect', lr: 5e-3, ectPrefitSteps: 300 };
    const s = new TrainingSession({ ...c, steps: 300 }, {}, 200);
    const rng = new Rng(5, 'check');
    const x0 = s.data.sample(256, rng);
    const x = tf.tensor2d(Float32Array.from(x0, (v) => v + 0.5 * rng.normal()), [256, 2]);
    const t = new Float64Array(256).fill(0.5);
    const err = () => tf.tidy(() => tf.sqrt(tf.mean(tf.squaredDifference(ectF(s.methodContext(), s.samplingParams('online'), x, t), s.exactTeacher!.denoise(x, t)))).dataSync()[0]);
    const before = err();
    for (let i = 0; i < 300; i++) (await s.trainStep()).loss.dispose();
    const after = err();
    console.info(`ECT pre-fit: rms |f - D*| at sigma 0.5 ${before.toFixed(4)} -> ${after.toFixed(4)}`);
    expect(after).toBeLessThan(before * THRESH.ectPrefit);
    s.dispose();
  }, 240_000);

  it('ECT at its 2D defaults: tuning after the pre-fit makes one-step samples', async () => {
    const c: Config = { ...base, ...ECT_CONSTANT_LR, mode: 'ect', lr: ECT_LR_2D, ectPrefitSteps: 300, steps: 500 };
    const s = new TrainingSession(c, {}, 800);
    for (let i = 0; i < 300; i++) (await s.trainStep()).loss.dispose();
    const denoiser = await s.evaluate();
    for (let i = 0; i < 200; i++) (await s.trainStep()).loss.dispose();
    const tuned = await s.evaluate();
    console.info(`ECT: one-step SWD after the pre-fit ${denoiser.swd1.toFixed(3)}, after 200 tuning steps ${tuned.swd1.toFixed(3)} `
      + `(two-step ${denoiser.swd2.toFixed(3)} -> ${tuned.swd2.toFixed(3)})`);
    expect(tuned.swd1).toBeLessThan(THRESH.ectSwd1);
    s.dispose();
  }, 240_000);
});

// Measured (seed 1): flow SWD2 0.366 -> 0.293, mean flow-map error 0.884 -> 0.504 (one-step SWD stays ~0.4:
// flow matching fails at one step by design); shortcut one-step SWD 0.366 -> 0.098, one-step flow-map
// error 1.155 -> 0.379; ECT pre-fit (300 steps at lr 5e-3) rms |f - D*| at sigma 0.5 0.0880 -> 0.0173
// (after 150 steps still 0.088: the fit sets in late). ECT at its defaults (lr 1e-3 constant, one stage at q = 8):
// one-step SWD 0.447 after the pre-fit -> 0.239 after 200 tuning steps; with the paper's schedule squeezed
// into the budget (q = 2, 8 stages, lr 3e-4, the defaults before) 0.323.
const THRESH = { flowSwd2: 0.9, flowFme: 0.7, shortcutSwd1: 0.16, shortcutFme: 0.5, ectPrefit: 0.5, ectSwd1: 0.29 };
