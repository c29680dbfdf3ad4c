// The worker's training loop in Node (its real code; postMessage captured, the clock sped up so timed
// checkpoints fall due every few steps): every checkpoint it sends holds a known-good state, also when an
// update explodes just after a checkpoint fell due, and a NaN pause reports the restored step.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { TrainingSession } from '../../../src/core/run/session';
import type { WorkerEvent } from '../../../src/worker/protocol';
import { stepLosses } from '../stepLosses';

const events: WorkerEvent[] = [];
let loop: typeof import('../../../src/worker/trainLoop');
let context: typeof import('../../../src/worker/context');
let clock = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  (globalThis as unknown as { self: unknown }).self = { postMessage: (e: WorkerEvent) => events.push(e) };
  // Each reading of the clock moves it 400 ms: a timed checkpoint (every 5 s) falls due every few steps.
  vi.spyOn(performance, 'now').mockImplementation(() => (clock += 400));
  context = await import('../../../src/worker/context');
  loop = await import('../../../src/worker/trainLoop');
});

afterAll(() => {
  vi.restoreAllMocks();
});

const tiny: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 16, mode: 'ct', evalEvery: 100000, steps: 100000 };

describe('worker training loop', () => {
  it('sends only known-good checkpoints: none of the ruined state after an exploding update', async () => {
    const s = new TrainingSession(tiny);
    context.w.session = s;
    context.w.config = tiny;
    events.length = 0;
    await loop.startLoop(30);
    const sent = events.filter((e) => e.type === 'checkpoint') as Extract<WorkerEvent, { type: 'checkpoint' }>[];
    expect(sent.length).toBeGreaterThan(3); // timed ones, and the one at the end of the loop
    expect(sent[sent.length - 1].step).toBe(30); // the end of the loop: the state then, checked with one step

    // Each timed checkpoint's state is older than the newest loss read when it was sent: its own loss was finite.
    let lastRead = 0;
    for (const e of events) {
      if (e.type === 'progress' && e.lossSteps.length) lastRead = e.lossSteps[e.lossSteps.length - 1];
      if (e.type === 'checkpoint' && e.step !== 30) expect(e.step).toBeLessThan(lastRead);
    }

    // Now an update explodes; steps go on until its loss is read (the first step of a loop is read at once).
    events.length = 0;
    s.forceDivergenceNextStep();
    await loop.startLoop(12);
    const ruined = 31; // the state after update 31 gives a non-finite loss at step 32
    const error = events.find((e) => e.type === 'error') as Extract<WorkerEvent, { type: 'error' }>;
    expect(error.code).toBe('nan-loss');
    expect(error.message).toMatch(/at step 32\. Training is paused and the last good checkpoint \(step 30: finite weights/);
    for (const e of events) if (e.type === 'checkpoint') expect(e.step).toBeLessThan(ruined);
    const progress = events.filter((e) => e.type === 'progress') as Extract<WorkerEvent, { type: 'progress' }>[];
    expect(progress[progress.length - 1].step).toBe(30);
    expect(s.step).toBe(30);
    const w = await s.trainer!.online.read();
    expect(w.every((a) => a.every((v) => Number.isFinite(v) && Math.abs(v) < 100))).toBe(true);
    s.dispose();
    context.w.session = null;
  });

  it('the "diverge" hook exists in development builds only', async () => {
    const { runDebug } = await import('../../../src/worker/debugHooks');
    const s = new TrainingSession(tiny);
    context.w.session = s;
    vi.stubEnv('DEV', false);
    try {
      expect(() => runDebug('diverge')).toThrow(/development builds only/);
    } finally {
      vi.unstubAllEnvs();
    }
    const losses = await stepLosses(s, 2);
    expect(losses.every(Number.isFinite)).toBe(true); // refused: nothing was armed
    runDebug('diverge');
    losses.push(...(await stepLosses(s, 2)));
    expect(Number.isFinite(losses[2])).toBe(true); // computed before the exploding update
    expect(Number.isFinite(losses[3])).toBe(false);
    s.dispose();
    context.w.session = null;
  });
});
