// The same training step written in PyTorch (scripts/bench/torch_reference.py), run on this CPU in the
// same bench run, plus a parity check that the PyTorch MLP computes the same f and loss as ours.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  log('PyTorch reference (one thread)...');
  // One thread like ours: torch.set_num_threads(1) does not reach OpenBLAS's own pthread pool, which
  // otherwise uses every core for the MLP's products (measured: 0.55 ms against 0.95 ms for 512x256x256 here).
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync(PYTHON, ['scripts/bench/torch_reference.py', specPath], { encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 24, env });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0 || !r.stdout.trim()) {
    const reason = `torch_reference.py failed (exit ${r.status ?? r.signal}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`;
    log(`PyTorch skipped: ${reason}`);
    return { result: { available: false, reason }, measurements: [] };
  }
  const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as TorchResult;
  if (!result.available) {
    log(`PyTorch skipped: ${result.reason}`);
    return { result, measurements: [] };
  }
  type T = { medianMs: number; minMs: number; maxMs: number; steps: number };
  const mlp = result.mlp as Record<string, T>;
  const unet = (result.unet ?? { available: false }) as Record<string, T> & { available?: boolean; reason?: string };
  const where = 'pytorch' as const;
  const backend = `torch ${String(result.torchVersion)} cpu, ${String(result.threads)} thread`;
  const ms: Measurement[] = [
    { what: 'train-step', where, backend, model: 'mlp 4x256', mode: 'CT', batch: c.batchSize, warmup: spec.warmup, status: 'ok', ...mlp.ct },
    { what: 'train-step', where, backend, model: 'mlp 4x256', mode: 'CD-Heun', batch: c.batchSize, warmup: spec.warmup, status: 'ok', ...mlp['cd-heun'] },
    { what: 'sample-1step', where, backend, model: 'mlp 4x256', batch: POINTS_2D, status: 'ok', ...mlp.sample1 },
    { what: 'sample-4step', where, backend, model: 'mlp 4x256', batch: POINTS_2D, status: 'ok', ...mlp.sample4 },
  ];
  if (unet.available) {
    for (const mode of spec.unetModes) {
      const t = unet[`default-b64-${mode}`];
      ms.push({ what: 'train-step', where, backend, model: 'unet', mode: mode === 'ct' ? 'CT' : 'CD-Heun', batch: 64, warmup: spec.unetWarmup, status: 'ok', ...t,
        note: mode === 'ct' ? undefined : 'teacher: a randomly initialised U-Net of the same architecture (same cost as the shipped one)' });
    }
    ms.push({ what: 'sample-1step', where, backend, model: 'unet', batch: DIGITS, status: 'ok', ...unet['default-sample1'] });
    ms.push({ what: 'sample-4step', where, backend, model: 'unet', batch: DIGITS, status: 'ok', ...unet['default-sample4'] });
  } else {
    ms.push({ what: 'train-step', where, backend, model: 'unet', mode: 'CT', batch: 64, status: 'skipped', note: String(unet.reason) });
  }
  for (const m of ms) if (m.status === 'ok') log(`pytorch ${m.model} ${m.mode ?? m.what} b${m.batch}: ${m.medianMs!.toFixed(1)} ms`);
  const parity = (result.mlp as Record<string, unknown>).parity;
  log(`PyTorch parity (f, loss): ${JSON.stringify(parity)}`);
  return { result, measurements: ms };
}
