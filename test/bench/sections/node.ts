// Training throughput and sampling latency in Node, on each tfjs backend there (wasm, cpu).
import type { Config } from '../../../src/core/config';
import { multistepSample } from '../../../src/core/cm/sampling';
import type { TrainingSession } from '../../../src/core/run/session';
import { Rng } from '../../../src/core/rng';
import { sampleSize } from '../../../src/core/tensorUtil';
import { log } from '../lib/log';
import { NODE_BACKENDS, useBackend } from '../lib/nodeBackend';
import type { Measurement } from '../lib/report';
import {
  finishTeacherPhase, MLP_DEFAULT, mnistConfig, modelLabel, modeLabel, openSession, profileStep, timeSteps, unetConvMacs,
} from '../lib/sessions';
import { summarise, timeRuns } from '../lib/stats';

/** Four-step sampling uses these taus (three after the first step); the cost does not depend on them. */
export const TAUS_4STEP = [5, 1.5, 0.4];
export const POINTS_2D = 4096;
export const DIGITS = 64;

interface Plan {
  mlpWarmup: Record<string, number>;
  mlpRepeats: Record<string, number>;
  budgetS: number;
  unetTinyBatch: number;
  unetCpu: boolean;
}

function plan(quick: boolean): Plan {
  return quick
    ? { mlpWarmup: { wasm: 5, cpu: 1 }, mlpRepeats: { wasm: 10, cpu: 2 }, budgetS: 6, unetTinyBatch: 8, unetCpu: false }
    : { mlpWarmup: { wasm: 10, cpu: 1 }, mlpRepeats: { wasm: 30, cpu: 4 }, budgetS: 25, unetTinyBatch: 8, unetCpu: true };
}

async function measureTraining(c: Config, backend: string, warmup: number, repeats: number, budgetS: number, profile: boolean): Promise<Measurement> {
  // Node runs tfjs's single-threaded builds (the threaded one needs blob: workers, which Node cannot start).
  const base: Measurement = { what: 'train-step', where: 'node', backend, threads: 1, model: modelLabel(c), mode: modeLabel(c), batch: c.batchSize, warmup, status: 'ok' };
  const s = openSession(c);
  try {
    await finishTeacherPhase(s);
    const t = await timeSteps(s, warmup, repeats, budgetS);
    const m: Measurement = { ...base, ...t };
    if (profile) Object.assign(m, await profileStep(s));
    log(`node ${backend} ${m.model} ${m.mode} b${c.batchSize}: ${t.medianMs.toFixed(1)} ms/step (median of ${t.steps})`);
    return m;
  } finally {
    s.dispose();
  }
}

async function timeSampling(s: TrainingSession, count: number, taus: number[], warmup: number, repeats: number, budgetS: number): Promise<ReturnType<typeof summarise>> {
  const size = sampleSize(s.data.dataShape);
  const rng = new Rng(7, 'bench-sampling');
  const noise = { initial: rng.normals(count * size), perTau: taus.map(() => rng.normals(count * size)) };
  const run = () => multistepSample(s.net, s.samplingParams('ema'), noise, taus, s.data.dataShape, s.samplingSettings());
  const { times } = await timeRuns(run, warmup, repeats, budgetS * 1000);
  return summarise(times);
}

/** Sampling of `count` points or digits; `kinds` picks one-step and/or four-step. */
async function measureSampling(
  c: Config, backend: string, count: number, budgetS: number, kinds: ('sample-1step' | 'sample-4step')[], warmup = 1,
): Promise<Measurement[]> {
  const s = openSession(c);
  const out: Measurement[] = [];
  try {
    await finishTeacherPhase(s);
    for (const what of kinds) {
      const t = await timeSampling(s, count, what === 'sample-1step' ? [] : TAUS_4STEP, warmup, 10, budgetS);
      out.push({ what, where: 'node', backend, model: modelLabel(c), batch: count, warmup, status: 'ok', ...t });
      log(`node ${backend} ${modelLabel(c)} ${what} x${count}: ${t.medianMs.toFixed(1)} ms`);
    }
  } finally {
    s.dispose();
  }
  return out;
}

export async function nodeSection(quick: boolean): Promise<{ measurements: Measurement[]; notes: string[] }> {
  const p = plan(quick);
  const measurements: Measurement[] = [];
  const notes: string[] = [];
  for (const backend of NODE_BACKENDS) {
    await useBackend(backend);
    for (const mode of backend === 'cpu' && quick ? (['ct'] as const) : (['ct', 'cd'] as const)) {
      const c: Config = { ...MLP_DEFAULT, mode, solver: 'heun' };
      measurements.push(await measureTraining(c, backend, p.mlpWarmup[backend], p.mlpRepeats[backend], p.budgetS, backend === 'wasm'));
    }
    // The pure-JS cpu backend needs seconds per forward pass of 4,096 points: one timed call, no warm-up.
    const slow = backend === 'cpu';
    if (slow && quick) {
      for (const what of ['sample-1step', 'sample-4step'] as const) {
        measurements.push({ what, where: 'node', backend, model: 'mlp 4x256', batch: POINTS_2D, status: 'skipped', note: '--quick: seconds per call on the pure-JS cpu backend' });
      }
    } else {
      measurements.push(...await measureSampling({ ...MLP_DEFAULT, mode: 'ct' }, backend, POINTS_2D, slow ? 1 : p.budgetS, ['sample-1step', 'sample-4step'], slow ? 0 : 1));
    }

    // MNIST U-Net.
    for (const mode of ['ct', 'cd'] as const) {
      const c = mnistConfig({ mode, solver: 'heun' });
      const base: Measurement = { what: 'train-step', where: 'node', backend, threads: 1, model: 'unet', mode: modeLabel(c), batch: 64, status: 'unsupported' };
      if (backend === 'wasm') {
        // tfjs-backend-wasm has no Conv2DBackpropFilter; the U-Net's convolutions bring their own gradient there.
        // At least 3 timed steps even in --quick: the U-Net goal is a ratio, and one step is too noisy for it.
        const m = await measureTraining(c, backend, 1, p.unetCpu ? 5 : 3, 30, false);
        measurements.push({ ...m, note: 'filter gradients from the hand-written convolution gradient (src/core/models/conv.ts)' });
        continue;
      }
      if (!p.unetCpu) {
        measurements.push({ ...base, status: 'skipped', note: '--quick: the cpu backend needs minutes per U-Net step' });
        continue;
      }
      // The default U-Net at batch 64 takes far too long on the pure-JS cpu backend (its convolution
      // gradients are naive loops); measure the tiny preset at a small batch and extrapolate by MACs.
      const tiny = mnistConfig({ mode, solver: 'heun', model: 'unet-tiny', batchSize: p.unetTinyBatch });
      const m = await measureTraining(tiny, backend, 1, 2, 1, true);
      measurements.push({ ...m, note: 'tiny U-Net at a small batch: the default U-Net is too slow on this backend to time here' });
      const sTiny = openSession(tiny);
      const sFull = openSession(mnistConfig({ mode: 'ct' }));
      const ratio = unetConvMacs(sFull) / unetConvMacs(sTiny);
      sTiny.dispose();
      sFull.dispose();
      const estimate = (m.medianMs ?? Number.NaN) * ratio * (64 / tiny.batchSize);
      measurements.push({
        ...base, status: 'skipped',
        note: `not run: extrapolated ~${(estimate / 60000).toFixed(0)} min/step from the tiny U-Net (x${ratio.toFixed(0)} convolution MACs, x${64 / tiny.batchSize} batch)`,
      });
      notes.push(`Node cpu, default U-Net batch 64 (${modeLabel(c)}): extrapolated about ${(estimate / 60000).toFixed(0)} minutes per step; not run.`);
    }
    // Sampling 64 digits: wasm runs the default U-Net forward; cpu only the tiny one (too slow otherwise).
    const digitModel = backend === 'wasm' ? 'unet' : 'unet-tiny';
    if (backend === 'cpu' && quick) {
      measurements.push({ what: 'sample-1step', where: 'node', backend, model: 'unet', batch: DIGITS, status: 'skipped', note: '--quick' });
    } else {
      const ms = await measureSampling(mnistConfig({ mode: 'ct', model: digitModel }), backend, DIGITS, p.budgetS, quick ? ['sample-1step'] : ['sample-1step', 'sample-4step']);
      if (backend === 'cpu') ms.forEach((m) => (m.note = 'tiny U-Net: the default U-Net forward is too slow on the pure-JS cpu backend'));
      measurements.push(...ms);
    }
  }
  return { measurements, notes };
}
