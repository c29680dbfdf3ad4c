// Memory over many steps: tf.memory() tensor count and bytes must stay flat while training (and while
// evaluating now and then, as the page and the CLI do). Reports the least-squares slope per 1,000 steps.
import * as tf from '@tensorflow/tfjs';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { TrainingSession } from '../../../src/core/run/session';
import { log } from '../lib/log';
import { settle, useBackend } from '../lib/nodeBackend';
import { modeLabel } from '../lib/sessions';
import { round, slope } from '../lib/stats';

export interface MemoryRun {
  backend: string;
  config: string;
  steps: number;
  tensorsStart: number;
  tensorsEnd: number;
  bytesStart: number;
  bytesEnd: number;
  tensorsPer1000Steps: number;
  bytesPer1000Steps: number;
  flat: boolean;
  msPerStep: number;
}

async function trackMemory(c: Config, steps: number, every: number, evalEvery: number): Promise<MemoryRun> {
  const s = new TrainingSession(c, {}, 500);
  const xs: number[] = [];
  const tensors: number[] = [];
  const bytes: number[] = [];
  const t0 = performance.now();
  for (let k = 1; k <= steps; k++) {
    const r = await s.trainStep();
    await settle(r.loss);
    await s.noteFiniteLoss(100);
    if (k % evalEvery === 0) await s.evaluate();
    if (k % every === 0) {
      const m = tf.memory();
      xs.push(k);
      tensors.push(m.numTensors);
      bytes.push(m.numBytes);
    }
  }
  const msPerStep = (performance.now() - t0) / steps;
  s.dispose();
  // Start after the first evaluation: it caches the teacher's samples, the floor and the sampling path's
  // constants once (measured: +11 tensors at the first evaluate(), none after).
  const firstAfterEval = xs.findIndex((k) => k >= evalEvery);
  const from = firstAfterEval >= 0 && xs.length - firstAfterEval > 2 ? firstAfterEval : 0;
  const tSlope = slope(xs.slice(from), tensors.slice(from)) * 1000;
  const bSlope = slope(xs.slice(from), bytes.slice(from)) * 1000;
  return {
    backend: tf.getBackend(), config: `${modeLabel(c)} mlp ${c.depth}x${c.width} batch ${c.batchSize}, evaluate() every ${evalEvery} steps`, steps,
    tensorsStart: tensors[0], tensorsEnd: tensors[tensors.length - 1], bytesStart: bytes[0], bytesEnd: bytes[bytes.length - 1],
    tensorsPer1000Steps: round(tSlope, 3), bytesPer1000Steps: round(bSlope, 1),
    flat: tensors[tensors.length - 1] === tensors[from] && Math.abs(tSlope) < 1e-9, msPerStep: round(msPerStep, 2),
  };
}

/** Tensors still alive after building, stepping, checkpoint-restoring and disposing a session. */
async function leakPerSession(): Promise<{ tensorsPerSession: number; bytesPerSession: number; config: string }> {
  const c: Config = { ...DEFAULTS, width: 16, depth: 2, batchSize: 8 };
  const once = async () => {
    const s = new TrainingSession(c, {}, 50);
    const ck = await s.trainer!.checkpoint();
    await settle((await s.trainStep()).loss);
    s.trainer!.restore(ck); // what the app's worker does after its warm-up step
    s.dispose();
  };
  await once(); // first use creates backend-level constants
  const before = tf.memory();
  const n = 3;
  for (let i = 0; i < n; i++) await once();
  const after = tf.memory();
  return { tensorsPerSession: (after.numTensors - before.numTensors) / n, bytesPerSession: (after.numBytes - before.numBytes) / n, config: 'CT mlp 2x16, one step and one restore' };
}

export async function memorySection(quick: boolean): Promise<{ runs: MemoryRun[]; leak: Awaited<ReturnType<typeof leakPerSession>> }> {
  await useBackend('wasm');
  const leak = await leakPerSession();
  log(`memory: ${leak.tensorsPerSession} tensors (${leak.bytesPerSession} bytes) left behind per disposed session (${leak.config})`);
  const steps = quick ? 300 : 2000;
  const small: Config = { ...DEFAULTS, width: 64, depth: 3, batchSize: 128 };
  const runs: MemoryRun[] = [];
  for (const over of [{ mode: 'ct' }, { mode: 'cd', solver: 'heun' }, { mode: 'ct', nSchedule: 'ct-adaptive', K: steps }] as Partial<Config>[]) {
    const r = await trackMemory({ ...small, ...over }, steps, quick ? 25 : 100, quick ? 100 : 500);
    log(`memory ${r.config}: tensors ${r.tensorsStart} -> ${r.tensorsEnd} (${r.tensorsPer1000Steps}/1000 steps), bytes ${r.bytesStart} -> ${r.bytesEnd}`);
    runs.push(r);
    if (quick) break;
  }
  return { runs, leak };
}
