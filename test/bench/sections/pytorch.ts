// The same training step written in PyTorch (scripts/bench/torch_reference.py), run on this CPU in the
// same bench run, plus a parity check that the PyTorch MLP computes the same f and loss as ours.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../../src/core/config';
import { consistencyFunction } from '../../../src/core/cm/consistencyFunction';
import { l2Distance } from '../../../src/core/cm/distance';
import { presetDataset } from '../../../src/core/data/dataset2d';
import { createNetwork } from '../../../src/core/models/index';
import { Rng } from '../../../src/core/rng';
import { karrasSigmasAscending } from '../../../src/core/schedule';
import { log } from '../lib/log';
import type { Measurement } from '../lib/report';
import { MLP_DEFAULT } from '../lib/sessions';
import { DIGITS, POINTS_2D, TAUS_4STEP } from './node';

const PYTHON = '/usr/bin/python3';

/** Random non-zero parameters and draws, with our f and CT loss on them (online = target). */
function parityCase(c: Config, mixtureSeed: number) {
  const ds = presetDataset('moons', c.sigmaData);
  const net = createNetwork(c, [2]);
  const rng = new Rng(mixtureSeed, 'parity');
  const params = net.params.map((p) => Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, () => 0.1 * rng.normal()));
  const B = 64;
  const sigmas = karrasSigmasAscending(c.N, { eps: c.eps, T: c.T, rho: c.rho });
  const x0 = ds.sample(B, rng);
  const z = rng.normals(2 * B);
  const n = Array.from({ length: B }, () => Math.floor(rng.uniform() * (c.N - 1)));
  const tCur = Float64Array.from(n, (i) => sigmas[i]);
  const tNext = Float64Array.from(n, (i) => sigmas[i + 1]);
  const s = { eps: c.eps, sigmaData: c.sigmaData, cNoiseConvention: c.cNoiseConvention };
  const { fOnline, loss } = tf.tidy(() => {
    const P = params.map((v, i) => tf.tensor(v, net.params[i].shape));
    const x = tf.tensor2d(x0, [B, 2]);
    const zt = tf.tensor2d(z, [B, 2]);
    const on = consistencyFunction(net, P, tf.add(x, tf.mul(tf.tensor2d(Float32Array.from(tNext), [B, 1]), zt)), tNext, s);
    const ta = consistencyFunction(net, P, tf.add(x, tf.mul(tf.tensor2d(Float32Array.from(tCur), [B, 1]), zt)), tCur, s);
    return { fOnline: on.dataSync(), loss: tf.mean(l2Distance(on, ta)).dataSync()[0] };
  });
  return {
    params: params.map((p) => Array.from(p)), shapes: net.params.map((p) => p.shape),
    x0: Array.from(x0), z: Array.from(z), tCur: Array.from(tCur), tNext: Array.from(tNext), fOnline: Array.from(fOnline), loss,
  };
}

export interface TorchResult {
  available: boolean;
  reason?: string;
  [k: string]: unknown;
}

/** scripts/bench/torch_reference.py on `threads` threads (OpenBLAS's own pool too: torch.set_num_threads does not reach it). */
function runReference(specPath: string, threads: number): { result: TorchResult } {
  log(`PyTorch reference (${threads} thread${threads === 1 ? '' : 's'})...`);
  const n = String(threads);
  const env = { ...process.env, CM_BENCH_THREADS: n, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n };
  const r = spawnSync(PYTHON, ['scripts/bench/torch_reference.py', specPath], { encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 24, env });
  if (r.status !== 0 || !r.stdout.trim()) {
    return { result: { available: false, reason: `torch_reference.py failed (exit ${r.status ?? r.signal}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}` } };
  }
  return { result: JSON.parse(r.stdout.trim().split('\n').pop()!) as TorchResult };
}

type Timing = { medianMs: number; minMs: number; maxMs: number; steps: number };
interface ReferenceSpec { warmup: number; unetModes: string[]; unetWarmup: number }

/** One reference run's timings as measurements, labelled with its thread count. */
function torchMeasurements(result: TorchResult, spec: ReferenceSpec, threads: number): Measurement[] {
  const c = MLP_DEFAULT;
  const mlp = result.mlp as Record<string, Timing>;
  const unet = (result.unet ?? { available: false }) as Record<string, Timing> & { available?: boolean; reason?: string };
  const where = 'pytorch' as const;
  const backend = `torch ${String(result.torchVersion)} cpu, ${String(result.threads)} thread${result.threads === 1 ? '' : 's'}`;
  const ms: Measurement[] = [
    { what: 'train-step', where, backend, threads, model: 'mlp 4x256', mode: 'CT', batch: c.batchSize, warmup: spec.warmup, status: 'ok', ...mlp.ct },
    { what: 'train-step', where, backend, threads, model: 'mlp 4x256', mode: 'CD-Heun', batch: c.batchSize, warmup: spec.warmup, status: 'ok', ...mlp['cd-heun'] },
    { what: 'sample-1step', where, backend, threads, model: 'mlp 4x256', batch: POINTS_2D, status: 'ok', ...mlp.sample1 },
    { what: 'sample-4step', where, backend, threads, model: 'mlp 4x256', batch: POINTS_2D, status: 'ok', ...mlp.sample4 },
  ];
  if (unet.available) {
    for (const mode of spec.unetModes) {
      const t = unet[`default-b64-${mode}`];
      ms.push({ what: 'train-step', where, backend, threads, model: 'unet', mode: mode === 'ct' ? 'CT' : 'CD-Heun', batch: 64, warmup: spec.unetWarmup, status: 'ok', ...t,
        note: mode === 'ct' ? undefined : 'teacher: a randomly initialised U-Net of the same architecture (same cost as the shipped one)' });
    }
    ms.push({ what: 'sample-1step', where, backend, threads, model: 'unet', batch: DIGITS, status: 'ok', ...unet['default-sample1'] });
    ms.push({ what: 'sample-4step', where, backend, threads, model: 'unet', batch: DIGITS, status: 'ok', ...unet['default-sample4'] });
  } else {
    ms.push({ what: 'train-step', where, backend, threads, model: 'unet', mode: 'CT', batch: 64, status: 'skipped', note: String(unet.reason) });
  }
  return ms;
}

export function pytorchSection(quick: boolean): { result: TorchResult; measurements: Measurement[] } {
  if (!existsSync(PYTHON)) {
    const reason = `${PYTHON} not found`;
    log(`PyTorch skipped: ${reason}`);
    return { result: { available: false, reason }, measurements: [] };
  }
  const c = MLP_DEFAULT;
  const ds = presetDataset('moons', c.sigmaData);
  const spec = {
    mlp: { width: c.width, depth: c.depth, timeFeatures: c.timeFeatures, timeConditioning: c.timeConditioning, batchSize: c.batchSize, N: c.N, mu: c.mu, lr: c.lr,
      beta1: c.beta1, beta2: c.beta2, adamEps: c.adamEps, evalEma: c.evalEma, eps: c.eps, T: c.T, sigmaData: c.sigmaData, rho: c.rho },
    mixture: { means: Array.from(ds.mixture.means), stds: Array.from(ds.mixture.stds), weights: Array.from(ds.mixture.weights) },
    mlpModes: ['ct', 'cd-heun'],
    parity: parityCase(c, 3),
    warmup: quick ? 3 : 20,
    repeats: quick ? 20 : 60,
    budgetS: quick ? 3 : 12,
    sampleWarmup: quick ? 1 : 3,
    sampleCount: POINTS_2D,
    taus4: TAUS_4STEP,
    digitCount: DIGITS,
    unets: [['default', 64]],
    unetModes: quick ? ['ct'] : ['ct', 'cd-heun'],
    unetWarmup: quick ? 1 : 2,
    unetRepeats: quick ? 3 : 8,
    unetConfig: { N: c.N, mu: c.mu, lr: 2e-4, beta1: c.beta1, beta2: c.beta2, adamEps: c.adamEps, evalEma: c.evalEma, eps: c.eps, T: c.T, sigmaData: c.sigmaData, rho: c.rho },
  };
  const dir = mkdtempSync(join(tmpdir(), 'cm-bench-'));
  const specPath = join(dir, 'spec.json');
  writeFileSync(specPath, JSON.stringify(spec));
  // One thread like Node's WASM, then every core like the page's multi-threaded WASM (src/worker/wasmThreads.ts):
  // the goals compare equal thread counts.
  const runs = [1, ...(cpus().length > 1 ? [cpus().length] : [])].map((threads) => ({ threads, ...runReference(specPath, threads) }));
  rmSync(dir, { recursive: true, force: true });
  const first = runs[0];
  if (!first.result.available) {
    log(`PyTorch skipped: ${first.result.reason}`);
    return { result: first.result, measurements: [] };
  }
  const ms = runs.flatMap((r) => (r.result.available ? torchMeasurements(r.result, spec, r.threads) : []));
  for (const r of runs.slice(1)) if (!r.result.available) log(`PyTorch with ${r.threads} threads skipped: ${r.result.reason}`);
  for (const m of ms) if (m.status === 'ok') log(`pytorch (${m.threads} thread${m.threads === 1 ? '' : 's'}) ${m.model} ${m.mode ?? m.what} b${m.batch}: ${m.medianMs!.toFixed(1)} ms`);
  const result = first.result;
  const parity = (result.mlp as Record<string, unknown>).parity;
  log(`PyTorch parity (f, loss): ${JSON.stringify(parity)}`);
  return { result, measurements: ms };
}
