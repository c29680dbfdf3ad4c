// Known-good checkpoints: a state is a recovery point only when its tensors are finite AND the loss computed
// from exactly those weights was finite. The divergence is real: one update with a learning rate of 1e30
// (Adam moves every weight by ~1e30, still finite), after which the forward pass overflows.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import type { TrainerCheckpoint } from '../../../src/core/cm/consistencyTrainer';
import { KnownGoodCheckpoints, nonFinitePart } from '../../../src/core/run/knownGood';
import { SessionError, TrainingSession } from '../../../src/core/run/session';
import { stepLosses } from '../stepLosses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tiny: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 32, dataset: 'moons' };

/** One step as the CLI and the worker take it: read the loss; note it when finite. */
async function step(s: TrainingSession, every = 1): Promise<number> {
  const r = await s.trainStep();
  const loss = (await r.loss.data())[0];
  r.loss.dispose();
  if (Number.isFinite(loss)) await s.noteFiniteLoss(every, r.step);
  return loss;
}

const maxAbs = (arrays: Float32Array[]) => arrays.reduce((m, a) => a.reduce((x, v) => Math.max(x, Math.abs(v)), m), 0);
const allFinite = (arrays: Float32Array[]) => arrays.every((a) => a.every(Number.isFinite));

describe('known-good checkpoints', () => {
  for (const mode of ['ct', 'cd'] as const) {
    it(`${mode.toUpperCase()}: after a diverging update right after a checkpoint, recovery restores finite weights whose loss was finite`, async () => {
      const s = new TrainingSession({ ...tiny, mode });
      for (let k = 0; k < 5; k++) expect(Number.isFinite(await step(s))).toBe(true);
      const state5 = await s.trainer!.checkpoint();
      s.forceDivergenceNextStep();
      // Step 6: its loss comes from state 5 (finite); its update is the explosion. The old rule saved the
      // weights after this update as "good" right here.
      expect(Number.isFinite(await step(s))).toBe(true);
      const state6 = await s.trainer!.checkpoint();
      expect(allFinite(state6.online)).toBe(true); // finite tensors alone would have passed...
      expect(maxAbs(state6.online)).toBeGreaterThan(1e20); // ...but they are ruined
      expect(s.lastGoodCheckpoint()!.step).toBe(5);
      const bad = await step(s);
      expect(Number.isFinite(bad)).toBe(false); // ...and the loss computed from them says so
      expect(s.recoverFromNonFinite(7)).toBe(5);
      const restored = await s.trainer!.checkpoint();
      expect(restored.online).toEqual(state5.online);
      expect(restored.target).toEqual(state5.target);
      expect(restored.evalEma).toEqual(state5.evalEma);
      expect(maxAbs(restored.online)).toBeLessThan(100);
      expect(Number.isFinite(await step(s))).toBe(true);
      s.dispose();
    });
  }

  it('a candidate is promoted only once the loss computed from it has been read', async () => {
    const s = new TrainingSession({ ...tiny, mode: 'ct' });
    // The first step keeps the starting state as a candidate; its own loss (step 1) confirms it.
    const r = await s.trainStep();
    r.loss.dispose();
    expect(s.lastGoodCheckpoint()).toBeNull();
    await s.noteFiniteLoss(3, 0); // nothing read yet
    expect(s.lastGoodCheckpoint()).toBeNull();
    await s.noteFiniteLoss(3, 1);
    expect(s.lastGoodCheckpoint()!.step).toBe(0);
    // Every 3 steps a new candidate; it becomes good one read later.
    for (let k = 0; k < 3; k++) await step(s, 3);
    expect(s.step).toBe(4);
    expect(s.lastGoodCheckpoint()!.step).toBe(3);
    s.dispose();
  });

  it('losses read in a batch: a non-finite one confirms only candidates whose own loss came before it', async () => {
    const s = new TrainingSession({ ...tiny, mode: 'ct' });
    for (let k = 0; k < 3; k++) await step(s);
    expect(s.lastGoodCheckpoint()!.step).toBe(2); // state 3 waits for the loss of step 4
    s.forceDivergenceNextStep();
    // Steps 4 (finite loss from state 3; the explosion) and 5 (non-finite) read together, as the worker does.
    const losses = await stepLosses(s, 2);
    expect(Number.isFinite(losses[0])).toBe(true);
    expect(Number.isFinite(losses[1])).toBe(false);
    expect(s.recoverFromNonFinite(5)).toBe(3);
    expect(allFinite((await s.trainer!.checkpoint()).online)).toBe(true);
    s.dispose();
  });

  it('with no state that passed both checks, recovery refuses with a clear message', async () => {
    const s = new TrainingSession({ ...tiny, mode: 'ct' });
    tf.tidy(() => s.trainer!.online.set(tf.fill([s.trainer!.layout.total], Number.NaN)));
    expect(Number.isNaN(await step(s))).toBe(true);
    expect(() => s.recoverFromNonFinite(1)).toThrow(SessionError);
    expect(() => s.recoverFromNonFinite(1)).toThrow(/no earlier state of this run had a finite loss/);
    s.dispose();
  });

  it('verifyCurrentState checks the state now with one step and puts it back bit for bit', async () => {
    const a = new TrainingSession({ ...tiny, mode: 'cd', seed: 5 });
    const b = new TrainingSession({ ...tiny, mode: 'cd', seed: 5 });
    for (let k = 0; k < 3; k++) {
      await step(a);
      await step(b);
    }
    expect(await a.verifyCurrentState()).toBe(true);
    expect(a.step).toBe(3);
    expect(a.lastGoodCheckpoint()!.step).toBe(3);
    const next = [await step(a), await step(a)];
    expect([await step(b), await step(b)]).toEqual(next);
    expect((await a.trainer!.checkpoint()).online).toEqual((await b.trainer!.checkpoint()).online);
    // A state that an exploding update produced is refused, and the last good one stays.
    a.forceDivergenceNextStep();
    await step(a);
    const before = a.lastGoodCheckpoint()!.step;
    expect(await a.verifyCurrentState()).toBe(false);
    expect(a.lastGoodCheckpoint()!.step).toBe(before);
    a.dispose();
    b.dispose();
  });

  it('loaded weights are trusted only after a finite loss from them', async () => {
    const a = new TrainingSession({ ...tiny, mode: 'ct' });
    for (let k = 0; k < 4; k++) await step(a);
    const bytes = await a.exportRunFile();
    const b = new TrainingSession({ ...tiny, mode: 'ct' });
    await step(b);
    await b.importRunFile(bytes);
    expect(b.lastGoodCheckpoint()).toBeNull();
    await step(b);
    expect(b.lastGoodCheckpoint()!.step).toBe(4);
    a.dispose();
    b.dispose();
  });

  it('a check whose step fails (out of memory) puts the state back and keeps nothing as good', async () => {
    const restored: number[] = [];
    const ck: TrainerCheckpoint = {
      step: 7, online: [new Float32Array([1])], target: null, evalEma: [new Float32Array([1])],
      optimizer: { t: 7, m: new Float32Array(1), v: new Float32Array(1) }, rng: { data: [], train: [] },
    };
    const trainer = {
      step: 7,
      checkpoint: async () => ck,
      restore: (c: TrainerCheckpoint) => void restored.push(c.step),
      trainStep: (): { loss: tf.Scalar } => {
        throw new Error('out of memory');
      },
    };
    const good = new KnownGoodCheckpoints();
    await expect(good.verifyCurrent(trainer)).rejects.toThrow('out of memory');
    expect(restored).toEqual([7]);
    expect(good.lastGood).toBeNull();
  });

  it('names the first non-finite tensor of a checkpoint, including the optimizer moments', () => {
    const ck = (): TrainerCheckpoint => ({
      step: 1, online: [new Float32Array([1, 2])], target: [new Float32Array([1, 2])], evalEma: [new Float32Array([1, 2])],
      optimizer: { t: 1, m: new Float32Array([0, 0]), v: new Float32Array([0, 0]) }, rng: { data: [], train: [] },
    });
    expect(nonFinitePart(ck())).toBeNull();
    const a = ck();
    a.optimizer.v[1] = Number.POSITIVE_INFINITY;
    expect(nonFinitePart(a)).toBe('optimizer second moment (tensor 0, element 1 is Infinity)');
    const b = ck();
    b.target![0][0] = Number.NaN;
    expect(nonFinitePart(b)).toMatch(/^target weights/);
    const c = ck();
    c.evalEma[0][1] = Number.NEGATIVE_INFINITY;
    expect(nonFinitePart(c)).toMatch(/^evaluation EMA/);
    expect(nonFinitePart({ ...ck(), target: null })).toBeNull();
  });
});
