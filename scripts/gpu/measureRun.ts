// The measurement itself (measure.ts is the entry): the default 2D CT and CD-Heun steps (4x256 MLP, batch 512;
// CT also on the plain-op path) and the MNIST U-Net CT step (batch 64) on the chosen backend: steps/s,
// dispatches per step, ms per dispatch (wall and GPU). The JSON is rewritten after every row, so a run cut
// short by its timeout still leaves what it measured.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULTS, withDatasetDefaults, type Config } from '../../src/core/config';
import { setWebgpuFusedKernels } from '../../src/core/models/hostKernel';
import type { Rng } from '../../src/core/rng';
import { TrainingSession } from '../../src/core/run/session';
import { installDawn } from './dawn';
import type { MeasureArgs } from './measureArgs';
import { GOALS, resultFileName, SCHEMA, type RealGpuResult as Result, type Row } from './results';
import { timeSteps, type TimingPlan } from './stepTiming';

/** Stand-in MNIST digits in [-1, 1]: a step's cost does not depend on the pixel values. */
function syntheticDigits(): { dataShape: number[]; sample(n: number, rng: Rng): Float32Array } {
  return {
    dataShape: [28, 28, 1],
    sample: (n, rng) => rng.normals(n * 784).map((v) => Math.tanh(v)),
  };
}

function mlpConfig(a: MeasureArgs, mode: 'ct' | 'cd'): Config {
  return { ...DEFAULTS, mode, solver: 'heun', batchSize: a.mlpBatch, width: a.width, depth: a.depth, evalEvery: 1e9 };
}

function unetConfig(a: MeasureArgs): Config {
  const explicit = new Set(['dataset', 'mode', 'model', 'batchSize']);
  return withDatasetDefaults({ ...DEFAULTS, dataset: 'mnist', mode: 'ct', model: a.unetModel, batchSize: a.unetBatch, evalEvery: 1e9 }, explicit);
}

async function measureRow(row: Row, c: Config, plan: TimingPlan, fused: boolean): Promise<Row> {
  setWebgpuFusedKernels(fused);
  const s = new TrainingSession(c, c.dataset === 'mnist' ? { imageData: syntheticDigits() } : {}, 16);
  try {
    if (s.phase !== 'student') throw new Error('expected a consistency step (no teacher phase)');
    return { ...row, ...(await timeSteps(s, plan)), status: 'ok' };
  } finally {
    s.dispose();
    setWebgpuFusedKernels(true);
  }
}

async function setUpBackend(a: MeasureArgs, out: Result): Promise<void> {
  if (a.backend === 'webgpu') {
    out.adapter = await installDawn(a.dawn!, a.dawnOptions);
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  const ok = await tf.setBackend(a.backend);
  await tf.ready();
  if (!ok || tf.getBackend() !== a.backend) throw new Error(`tfjs backend "${a.backend}" failed to initialise`);
  out.timestampQuery = (tf.backend() as unknown as { supportTimestampQuery?: boolean }).supportTimestampQuery === true;
}

/** The goals' numbers: only from a real GPU (not a fallback adapter), at the default sizes. */
function goals(out: Result): Result['goals'] {
  const real = out.backend === 'webgpu' && out.adapter !== null && !out.adapter.isFallbackAdapter;
  const a = out.args;
  const row = (name: string) => out.rows.find((r) => r.name === name && r.status === 'ok');
  const ct = real && a.mlpBatch === 512 && a.width === 256 && a.depth === 4 ? row('mlp CT fused') : undefined;
  const unet = real && a.unetBatch === 64 && a.unetModel === 'unet' ? row('unet CT') : undefined;
  return { realGpuCtStepsPerSecond: ct?.stepsPerSecond ?? null, realGpuUnetStepsPerSecond: unet?.stepsPerSecond ?? null, targets: GOALS };
}

export async function measure(a: MeasureArgs): Promise<Result> {
  const start = performance.now();
  const out: Result = {
    schema: SCHEMA, date: new Date().toISOString(), ok: false, backend: a.backend, gpuName: a.gpuName, adapter: null, timestampQuery: false,
    runtime: { node: process.version, platform: `${process.platform}-${process.arch}`, dawnOptions: a.backend === 'webgpu' ? a.dawnOptions : null },
    args: a, rows: [], goals: { realGpuCtStepsPerSecond: null, realGpuUnetStepsPerSecond: null, targets: GOALS }, errors: [], seconds: 0,
  };
  const save = () => {
    out.seconds = (performance.now() - start) / 1000;
    out.goals = goals(out);
    const file = a.out ?? (a.outDir ? join(a.outDir, resultFileName(out)) : null);
    if (file) writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  };
  const mlpPlan: TimingPlan = { warmupSteps: a.warmup, seconds: a.seconds, maxSteps: a.maxSteps, syncedSteps: a.syncedSteps, gpuTimedSteps: a.gpuTimedSteps };
  const unetPlan: TimingPlan = { ...mlpPlan, warmupSteps: Math.min(a.warmup, 3), syncedSteps: Math.min(a.syncedSteps, 5), gpuTimedSteps: Math.min(a.gpuTimedSteps, 3) };
  const mlpModel = `mlp ${a.depth}x${a.width}`;
  const plan: [Row, () => Config, TimingPlan, boolean][] = [
    [{ name: 'mlp CT fused', model: mlpModel, mode: 'CT', path: 'fused', batch: a.mlpBatch, status: 'skipped' }, () => mlpConfig(a, 'ct'), mlpPlan, true],
    [{ name: 'mlp CD-Heun fused', model: mlpModel, mode: 'CD-Heun', path: 'fused', batch: a.mlpBatch, status: 'skipped' }, () => mlpConfig(a, 'cd'), mlpPlan, true],
    [{ name: 'mlp CT plain-op', model: mlpModel, mode: 'CT', path: 'plain-op', batch: a.mlpBatch, status: 'skipped' }, () => mlpConfig(a, 'ct'), mlpPlan, false],
    [{ name: 'unet CT', model: a.unetModel, mode: 'CT', path: 'fused', batch: a.unetBatch, status: 'skipped' }, () => unetConfig(a), unetPlan, true],
  ];
  try {
    await setUpBackend(a, out);
    save();
    for (const [row, config, p, fused] of plan) {
      const section = row.name.startsWith('unet') ? 'unet' : 'mlp';
      // The plain-op path differs from the fused one on webgpu only (the host backends always fuse).
      if (!a.sections.includes(section) || (row.path === 'plain-op' && a.backend !== 'webgpu')) {
        out.rows.push(row);
        continue;
      }
      try {
        const r = await measureRow(row, config(), p, fused);
        out.rows.push(r);
        console.error(`${r.name} b${r.batch}: ${r.stepsPerSecond!.toFixed(1)} steps/s, ${r.dispatchesPerStep ?? '-'} dispatches/step, GPU ${r.gpuMsPerStep?.toFixed(3) ?? '-'} ms/step`);
      } catch (e) {
        out.rows.push({ ...row, status: 'error', error: (e as Error).message });
        out.errors.push(`${row.name}: ${(e as Error).message}`);
      }
      save();
    }
  } catch (e) {
    out.errors.push((e as Error).message);
  }
  out.ok = out.errors.length === 0;
  save();
  return out;
}
