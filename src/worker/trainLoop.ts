// The training loop: steps until paused, the budget is reached, `maxSteps` are done, or the loss becomes
// non-finite. Losses are read in batches (one await per LOSS_READ_EVERY steps); it yields between steps
// so Pause and view changes are handled at once.
import * as tf from '@tensorflow/tfjs';
import { post, requireSession, status, w } from './context';
import { classify } from './errors';
import { GpuStepMeter } from './gpuStepMeter';
import { sendCheckpoint, sendQuality, sendSnapshot, sendStatic } from './publish';
import { stopRuleHit } from './stopRules';
import { snapshotGapMs } from './viewBudget';

const CHECKPOINT_INTERVAL_MS = 5000;
// Evaluated steps are also checkpoints (the page's Rewind list shows their SWD), at most this often.
const EVAL_CHECKPOINT_MS = 1000;
const LOSS_READ_EVERY = 8;
/** A candidate for the known-good state is kept at least this often (steps), besides the timed checkpoints. */
const GOOD_STATE_EVERY = 50;

// Yields to queued messages (Pause, view changes) between steps. A MessageChannel task, not setTimeout(0):
// nested timers are clamped to 4 ms, which cost a fifth of a 20 ms step.
const channel = typeof MessageChannel === 'undefined' ? null : new MessageChannel();
const waiting: (() => void)[] = [];
if (channel) channel.port1.onmessage = () => waiting.shift()?.();
const yieldToEvents = () => new Promise<void>((r) => {
  if (!channel) return void setTimeout(r, 0);
  waiting.push(r);
  channel.port2.postMessage(null);
});

async function trainLoop(maxSteps = Number.POSITIVE_INFINITY): Promise<void> {
  const s = requireSession();
  const c = s.config;
  let pending: { phase: 'teacher' | 'student'; step: number; loss: tf.Scalar; N: number; mu: number; lr: number }[] = [];
  let done = 0;
  let lastSnapshot = 0;
  /** The latest snapshot's cost (viewBudget.ts spaces the next one by it). */
  let snapshotMs = 0;
  let lastCheckpoint = performance.now();
  // Checkpoints hold known-good states only (finite tensors, and a finite loss computed from them). A timed one
  // keeps a fresh candidate at the next loss read and is sent once the loss computed from it comes back finite;
  // the others (evaluations, stop rules, the end of the loop) check the current state with one extra step.
  /** Step at which a timed checkpoint fell due (null: none due); a good state at least that new is sent. */
  let checkpointDueAt: number | null = null;
  let sentCheckpointStep = -1;
  const sendGoodCheckpoint = async () => {
    const step = s.lastGoodCheckpoint()?.step;
    if (step === undefined || step === sentCheckpointStep) return;
    await sendCheckpoint();
    sentCheckpointStep = step;
  };
  const sendCurrentIfGood = async () => {
    if (await s.verifyCurrentState()) await sendGoodCheckpoint();
  };
  let msPerStep = 0;
  const gpu = new GpuStepMeter();
  let windowStart = performance.now();
  let windowSteps = 0;

  const flush = async (): Promise<boolean> => {
    if (pending.length === 0) return true;
    const batch = pending;
    pending = [];
    const values = await Promise.all(batch.map((p) => p.loss.data()));
    batch.forEach((p) => p.loss.dispose());
    const bad = values.findIndex((v) => !Number.isFinite(v[0]));
    const good = bad < 0 ? batch : batch.slice(0, bad);
    const last = batch[batch.length - 1];
    post({
      type: 'progress', step: s.step, teacherStep: s.teacherStep, phase: last.phase,
      lossSteps: Float64Array.from(good, (p) => p.step), losses: Float32Array.from(good, (_, i) => values[i][0]),
      N: last.N, mu: last.mu, lr: last.lr,
      stepsPerSecond: msPerStep > 0 ? 1000 / msPerStep : 0, msPerStep, gpu: gpu.readout(),
    });
    if (bad >= 0) {
      w.running = false;
      const at = batch[bad];
      try {
        const restored = s.recoverFromNonFinite(at.step);
        post({ type: 'error', code: 'nan-loss', recoverable: true,
          message: `The loss became ${values[bad][0]} at step ${at.step}. Training is paused and the last good checkpoint (step ${restored}: finite weights, and a finite loss computed from them) is restored. Lower the learning rate, clip gradients, or reset.` });
        // The page shows the restored run: its step (the curves after it are dropped) and its samples.
        const sched = s.trainer!.scheduleAt();
        post({ type: 'progress', step: restored, teacherStep: s.teacherStep, phase: 'student', lossSteps: new Float64Array(0), losses: new Float32Array(0),
          N: sched.N, mu: sched.mu, lr: last.lr, stepsPerSecond: 0, msPerStep: 0 });
        await sendSnapshot();
      } catch (e) {
        post({ type: 'error', code: 'nan-loss', recoverable: false, message: (e as Error).message });
      }
      status('paused', 'paused after a non-finite loss');
      return false;
    }
    if (last.phase === 'student') {
      await s.noteFiniteLoss(checkpointDueAt !== null ? 0 : GOOD_STATE_EVERY, last.step);
      if (checkpointDueAt !== null && (s.lastGoodCheckpoint()?.step ?? -1) >= checkpointDueAt) {
        await sendGoodCheckpoint();
        checkpointDueAt = null;
      }
    }
    return true;
  };

  status(s.phase === 'teacher' ? 'teacher' : 'training', s.phase === 'teacher' ? 'training the EDM teacher' : 'training');
  try {
    while (w.running && done < maxSteps) {
      if (s.phase === 'student' && s.step >= c.steps) {
        w.running = false;
        if (!(await flush())) return;
        await sendSnapshot();
        await sendCurrentIfGood();
        status('done', `step budget of ${c.steps} reached`);
        return;
      }
      const t0 = performance.now();
      const phaseBefore = s.phase;
      const r = await gpu.step(() => s.trainStep());
      pending.push(r);
      done++;
      windowSteps++;
      // The first step is read at once, so the page sees training begin without waiting for a batch.
      if (pending.length >= LOSS_READ_EVERY || done === 1 || done >= maxSteps || !w.running) {
        if (!(await flush())) return;
      }
      const now = performance.now();
      if (now - windowStart > 500) {
        msPerStep = (now - windowStart) / windowSteps;
        windowStart = now;
        windowSteps = 0;
      } else if (msPerStep === 0) {
        msPerStep = now - t0;
      }
      if (phaseBefore === 'teacher' && s.phase === 'student') {
        if (!(await flush())) return;
        await sendStatic();
        status('training', 'teacher trained; distilling');
      }
      let swd1: number | null = null;
      if (s.phase === 'student' && s.step % c.evalEvery === 0) {
        swd1 = (await sendQuality())?.swd1 ?? null;
        if (performance.now() - lastCheckpoint >= EVAL_CHECKPOINT_MS) {
          if (!(await flush())) return;
          await sendCurrentIfGood();
          lastCheckpoint = performance.now();
        }
      }
      const hit = s.phase === 'student' ? stopRuleHit(w.stopRules, s.step, swd1, w.qualityRuleFired) : null;
      if (hit) {
        if (hit.rule === 'quality') w.qualityRuleFired = true;
        w.running = false;
        if (!(await flush())) return;
        await sendSnapshot();
        await sendCurrentIfGood();
        post({ type: 'stopped', step: s.step, rule: hit.rule, message: hit.message });
        status('paused', hit.message);
        return;
      }
      if (now - lastSnapshot >= snapshotGapMs(w.view.snapshotIntervalMs, snapshotMs)) {
        if (!(await flush())) return;
        const t1 = performance.now();
        if (s.phase === 'student') await sendSnapshot();
        lastSnapshot = performance.now();
        snapshotMs = lastSnapshot - t1;
      }
      if (now - lastCheckpoint >= CHECKPOINT_INTERVAL_MS && s.phase === 'student') {
        checkpointDueAt ??= s.step;
        lastCheckpoint = now;
      }
      await yieldToEvents();
    }
    if (!(await flush())) return;
    if (s.phase === 'student') {
      await sendSnapshot();
      await sendCurrentIfGood(); // so a crash after a pause loses nothing
    }
    const paused = !w.running;
    w.running = false;
    status(paused ? 'paused' : 'idle', paused ? 'paused' : `did ${done} step${done === 1 ? '' : 's'}`);
  } catch (e) {
    w.running = false;
    tf.dispose(pending.map((p) => p.loss));
    const err = classify(e);
    post({ type: 'error', code: err.code, message: err.message, recoverable: err.code === 'out-of-memory' });
    status('paused', err.code === 'out-of-memory' ? 'paused: out of memory' : 'paused after an error');
  }
}

export function startLoop(maxSteps?: number): Promise<void> {
  w.running = true;
  w.loop = trainLoop(maxSteps).finally(() => {
    w.loop = null;
  });
  return w.loop;
}

export async function stopLoop(): Promise<void> {
  w.running = false;
  if (w.loop) await w.loop;
}
