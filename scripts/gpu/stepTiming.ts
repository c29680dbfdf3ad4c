// Times a TrainingSession's steps the way the page trains: steps enqueued back to back and the losses read in
// batches of LOSS_READ_EVERY (src/worker/trainLoop.ts does the same), so steps/s is the training loop's
// throughput. Also: one step with its loss read back (latency), dispatches per step (webgpu, exact), and GPU
// time per step from timestamp queries where the device grants them (tf.time's kernelMs).
import * as tf from '@tensorflow/tfjs';
import type { TrainingSession } from '../../src/core/run/session';
import { webgpuDispatches, webgpuDispatchesByProgram } from '../../src/core/models/webgpuDispatches';

const LOSS_READ_EVERY = 8;

export interface TimingPlan {
  warmupSteps: number;
  /** Length of the throughput window (it also ends after maxSteps). */
  seconds: number;
  maxSteps: number;
  /** Steps timed one at a time, each with its loss read back. */
  syncedSteps: number;
  /** Steps timed on the GPU (tf.time); 0 skips it. */
  gpuTimedSteps: number;
}

export interface StepTiming {
  firstStepMs: number;
  warmupSteps: number;
  timedSteps: number;
  stepsPerSecond: number;
  /** Median of single steps whose loss was read back before the next one started. */
  syncedMedianMs: number;
  dispatchesPerStep: number | null;
  dispatchesByProgram: Record<string, number> | null;
  /** Wall time of a step in the throughput window / its dispatches. */
  wallMsPerDispatch: number | null;
  gpuMsPerStep: number | null;
  gpuMsPerDispatch: number | null;
  gpuTimeNote: string | null;
  lossFirst: number;
  lossLast: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function readLosses(losses: tf.Scalar[]): Promise<number[]> {
  const values = await Promise.all(losses.map((l) => l.data()));
  losses.forEach((l) => l.dispose());
  const out = values.map((v) => v[0]);
  const bad = out.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new Error(`a training step gave a non-finite loss (${bad}): the kernels are wrong on this device`);
  return out;
}

async function syncedStep(s: TrainingSession): Promise<number> {
  return (await readLosses([(await s.trainStep()).loss]))[0];
}

/** GPU ms of one step from timestamp queries, or the reason there is none. */
async function gpuStepMs(s: TrainingSession): Promise<number | string> {
  if ((tf.backend() as unknown as { supportTimestampQuery?: boolean }).supportTimestampQuery !== true) {
    return 'the device grants no timestamp queries';
  }
  let pending!: Promise<{ loss: tf.Scalar }>;
  // The step enqueues its GPU work before its first await, so tf.time sees all of it (gpuStepMeter.ts does the same).
  const info = await tf.time(() => {
    pending = s.trainStep();
  });
  await readLosses([(await pending).loss]);
  return typeof info.kernelMs === 'number' && info.kernelMs > 0 ? info.kernelMs : 'timestamp queries gave no time';
}

export async function timeSteps(s: TrainingSession, plan: TimingPlan): Promise<StepTiming> {
  // Warm-up (the first step compiles the shaders); the last warm-up step's dispatches are counted (exact:
  // counted as the programs are enqueued).
  let firstStepMs = 0;
  let lossFirst = Number.NaN;
  let counted: [number | null, Map<string, number>, number | null] = [null, new Map(), null];
  for (let k = 0; k < plan.warmupSteps; k++) {
    const before = [webgpuDispatches(), webgpuDispatchesByProgram()] as const;
    const t = performance.now();
    const loss = await syncedStep(s);
    if (k === 0) [firstStepMs, lossFirst] = [performance.now() - t, loss];
    counted = [before[0], before[1], webgpuDispatches()];
  }
  const [d0, h0, d1] = counted;
  const dispatchesPerStep = d0 === null || d1 === null ? null : d1 - d0;
  const dispatchesByProgram = dispatchesPerStep === null ? null : Object.fromEntries(
    [...webgpuDispatchesByProgram()].map(([k, v]) => [k, v - (h0.get(k) ?? 0)] as const).filter(([, v]) => v > 0),
  );

  // Throughput: whole batches of steps, losses read once per batch.
  let steps = 0;
  let lossLast = lossFirst;
  const t0 = performance.now();
  while (steps < plan.maxSteps && (steps === 0 || performance.now() - t0 < plan.seconds * 1000)) {
    const batch: tf.Scalar[] = [];
    for (let k = 0; k < LOSS_READ_EVERY; k++) batch.push((await s.trainStep()).loss);
    lossLast = (await readLosses(batch))[LOSS_READ_EVERY - 1];
    steps += LOSS_READ_EVERY;
  }
  const stepsPerSecond = steps / ((performance.now() - t0) / 1000);

  const synced: number[] = [];
  for (let k = 0; k < plan.syncedSteps; k++) {
    const t = performance.now();
    await syncedStep(s);
    synced.push(performance.now() - t);
  }

  const gpu: number[] = [];
  let gpuTimeNote: string | null = dispatchesPerStep === null ? 'not a webgpu backend' : null;
  for (let k = 0; k < plan.gpuTimedSteps && gpuTimeNote === null; k++) {
    const r = await gpuStepMs(s);
    if (typeof r === 'number') gpu.push(r);
    else gpuTimeNote = r;
  }
  const gpuMsPerStep = gpu.length ? median(gpu) : null;
  return {
    firstStepMs,
    warmupSteps: plan.warmupSteps,
    timedSteps: steps,
    stepsPerSecond,
    syncedMedianMs: synced.length ? median(synced) : Number.NaN,
    dispatchesPerStep,
    dispatchesByProgram,
    wallMsPerDispatch: dispatchesPerStep ? 1000 / stepsPerSecond / dispatchesPerStep : null,
    gpuMsPerStep,
    gpuMsPerDispatch: gpuMsPerStep !== null && dispatchesPerStep ? gpuMsPerStep / dispatchesPerStep : null,
    gpuTimeNote: gpuMsPerStep === null ? (gpuTimeNote ?? 'not measured') : null,
    lossFirst,
    lossLast,
  };
}
