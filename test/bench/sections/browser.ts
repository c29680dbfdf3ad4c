// Headless Chromium (software WebGPU / WebGL adapters here): training throughput of the app's real
// worker through its client, and per-step / sampling timings of the core in a bench worker, per backend.
import { cpus } from 'node:os';
import type { Page } from 'playwright-core';
import { DEFAULTS, type Config } from '../../../src/core/config';
import type { BenchBrowser } from '../lib/browser';
import { log } from '../lib/log';
import type { Measurement, Status } from '../lib/report';
import { threadsFor } from '../../../src/worker/wasmThreads';
import { MLP_DEFAULT, mnistConfig } from '../lib/sessions';
import { median, summarise } from '../lib/stats';
import { DIGITS, POINTS_2D, TAUS_4STEP } from './node';

type Backend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
const SOFTWARE = 'software adapter (SwiftShader on this CPU), not a GPU';

interface PageResult {
  status: Status;
  note?: string;
  adapter?: string | null;
  perStep?: number[];
  stepsTimed?: number;
  configureMs?: number;
  times?: number[];
  warmupMs?: number[];
  /** The bench core worker's WASM threads while it timed (wasmThreads.ts resizes the pool per kind of run). */
  threads?: number | null;
}

/** The app worker's WASM threads for 2D runs: its adapter text starts with them ("1 thread for 2D, 2 for digits"). */
function threadCount(adapter: string | null | undefined): number | undefined {
  const n = /^(\d+) threads?\b/.exec(adapter ?? '')?.[1];
  return n ? Number(n) : undefined;
}

function label(backend: Backend): string | undefined {
  return backend === 'webgpu' || backend === 'webgl' ? SOFTWARE : undefined;
}

async function appWorker(page: Page, backend: Backend, overrides: Partial<Config>, intervals: number, timeoutMs: number): Promise<PageResult> {
  return page.evaluate(({ b, o, n, t }) => (window as any).bench.appWorkerThroughput(b, o, n, t), { b: backend, o: overrides, n: intervals, t: timeoutMs });
}

/** `wasmThreads`: that many WASM threads (undefined: all the worker takes). */
async function core(page: Page, backend: Backend, body: object, timeoutMs: number, wasmThreads?: number): Promise<PageResult> {
  return page.evaluate(({ b, body, t, n }) => (window as any).bench.core(b, body, t, n), { b: backend, body, t: timeoutMs, n: wasmThreads });
}

function modeOf(c: Partial<Config>): string {
  return c.mode === 'ct' ? 'CT' : `CD-${c.solver === 'euler' ? 'Euler' : 'Heun'}`;
}

export async function browserSection(env: BenchBrowser, quick: boolean): Promise<{ measurements: Measurement[]; adapter: unknown }> {
  const page = await env.context.newPage();
  page.on('pageerror', (e) => log(`bench page error: ${e.message}`));
  await page.goto(`${env.baseUrl}test/bench/pages/bench.html`);
  await page.waitForFunction(() => (window as any).benchReady === true, undefined, { timeout: 120_000 });
  const adapter = await page.evaluate(() => (window as any).bench.adapterInfo());
  log(`chromium ${env.version}, WebGPU adapter ${JSON.stringify(adapter)}`);
  const out: Measurement[] = [];

  // 1. The app's worker, default 2D MLP (4x256, batch 512), through TrainerClient start/pause.
  const backends: Backend[] = quick ? ['wasm', 'webgl'] : ['wasm', 'webgl', 'webgpu', 'cpu'];
  for (const backend of backends) {
    for (const over of (quick ? [{ mode: 'ct' }] : [{ mode: 'ct' }, { mode: 'cd', solver: 'heun' }]) as Partial<Config>[]) {
      const slow = backend === 'webgpu' || backend === 'cpu';
      const intervals = quick || slow ? 1 : 3;
      const r = await appWorker(page, backend, over, intervals, slow ? 180_000 : 90_000);
      const m: Measurement = {
        what: 'train-step', where: 'chromium-worker', backend, threads: backend === 'wasm' ? threadCount(r.adapter) : undefined, model: 'mlp 4x256', mode: modeOf(over), batch: DEFAULTS.batchSize, status: r.status,
        note: [`app worker through TrainerClient: ms per step between loss reads (every 8 steps)`, label(backend), backend === 'wasm' && r.adapter ? `WASM ${r.adapter}` : null, r.note].filter(Boolean).join('; '),
      };
      if (r.status === 'ok' && r.perStep) {
        Object.assign(m, { medianMs: median(r.perStep), minMs: Math.min(...r.perStep), maxMs: Math.max(...r.perStep), steps: r.stepsTimed, warmup: 1 });
        m.note += `; configure + warm-up step ${(r.configureMs! / 1000).toFixed(1)} s`;
      }
      out.push(m);
      log(`chromium app worker ${backend} ${m.mode}: ${m.status === 'ok' ? `${m.medianMs!.toFixed(0)} ms/step over ${m.steps} steps` : `${m.status} ${m.note}`}`);
    }
  }

  if (quick) {
    // Software WebGPU needs ~7 s per MLP step here: the app's loop (loss read every 8 steps) is too long
    // for --quick, so time one step after a warm-up step in the bench core worker instead.
    const r = await core(page, 'webgpu', { type: 'train', config: { ...DEFAULTS, mode: 'ct' }, warmup: 1, repeats: 1, budgetMs: 1 }, 120_000);
    const m: Measurement = { what: 'train-step', where: 'chromium-worker', backend: 'webgpu', model: 'mlp 4x256', mode: 'CT', batch: DEFAULTS.batchSize, status: r.status, warmup: 1,
      note: ['--quick: core TrainingSession in a bench worker, one timed step', SOFTWARE, r.note].filter(Boolean).join('; ') };
    if (r.status === 'ok' && r.times?.length) Object.assign(m, summarise(r.times), { note: `${m.note}; first step incl. shader compile ${(r.warmupMs![0] / 1000).toFixed(1)} s` });
    out.push(m);
    log(`chromium core worker webgpu CT: ${m.status === 'ok' ? `${m.medianMs!.toFixed(0)} ms/step` : `${m.status} ${m.note}`}`);
    out.push({ what: 'train-step', where: 'chromium-worker', backend: 'cpu', model: 'mlp 4x256', mode: 'CT', batch: DEFAULTS.batchSize, status: 'skipped', note: '--quick' });
  }

  // 2. Sampling latency in the bench core worker.
  const sampleBackends: Backend[] = quick ? ['wasm', 'webgl', 'webgpu'] : ['wasm', 'webgl', 'webgpu', 'cpu'];
  const jobs: { model: string; config: Config; count: number; backends: Backend[]; timeoutMs: number; repeats: number }[] = [
    { model: 'mlp 4x256', config: { ...DEFAULTS, mode: 'ct' }, count: POINTS_2D, backends: sampleBackends, timeoutMs: 120_000, repeats: 5 },
  ];
  if (!quick) jobs.push({ model: 'unet', config: mnistConfig({ mode: 'ct' }), count: DIGITS, backends: ['wasm', 'webgl', 'webgpu'], timeoutMs: 150_000, repeats: 1 });
  for (const job of jobs) {
    for (const backend of job.backends) {
      const kinds = quick ? [['sample-1step', []] as const] : ([['sample-1step', []], ['sample-4step', TAUS_4STEP]] as const);
      for (const [what, taus] of kinds) {
        const r = await core(page, backend, { type: 'sample', config: job.config, count: job.count, taus, warmup: 1, repeats: quick ? 1 : job.repeats, budgetMs: 10_000 }, job.timeoutMs);
        const m: Measurement = { what, where: 'chromium-worker', backend, model: job.model, batch: job.count, status: r.status, warmup: 1,
          note: ['core multistepSample in a bench worker', label(backend), r.note].filter(Boolean).join('; ') };
        if (r.status === 'ok' && r.times?.length) Object.assign(m, summarise(r.times), { note: `${m.note}; first call${label(backend) ? ' (incl. shader compile)' : ''} ${r.warmupMs![0].toFixed(0)} ms` });
        out.push(m);
        log(`chromium ${backend} ${job.model} ${what} x${job.count}: ${m.status === 'ok' ? `${m.medianMs!.toFixed(0)} ms` : `${m.status} ${m.note}`}`);
      }
    }
    if (job.model === 'unet') {
      out.push({ what: 'sample-1step', where: 'chromium-worker', backend: 'cpu', model: 'unet', batch: DIGITS, status: 'skipped', note: 'the pure-JS cpu backend needs minutes for a U-Net forward pass of 64 digits' });
    }
  }

  // 3. WASM threads (src/worker/wasmThreads.ts; the bench server is cross-origin isolated): the core step on
  // one thread and on every thread the worker takes, for the 2D MLP at the bench's batch 512 (as Node and
  // PyTorch) and the U-Net (batch 64).
  const threadJobs: { model: string; config: Config; batch: number; warmup: number; repeats: number }[] = [
    { model: 'mlp 4x256', config: { ...MLP_DEFAULT, mode: 'ct' }, batch: MLP_DEFAULT.batchSize, warmup: 5, repeats: quick ? 20 : 60 },
    { model: 'mlp 4x256', config: { ...MLP_DEFAULT, mode: 'cd', solver: 'heun' }, batch: MLP_DEFAULT.batchSize, warmup: 5, repeats: quick ? 20 : 60 },
    { model: 'unet', config: mnistConfig({ mode: 'ct' }), batch: 64, warmup: 1, repeats: quick ? 3 : 5 },
  ];
  for (const job of threadJobs) {
    // The page's count for this kind of run (threadsFor); where it is 1 (2D on 2 cores) one timing covers both.
    const pageThreads = threadsFor(job.config.dataset === 'mnist' ? 'images' : 'points', Math.min(8, cpus().length));
    for (const threads of pageThreads > 1 ? [1, undefined] : [1]) {
      const r = await core(page, 'wasm', { type: 'train', config: job.config, warmup: job.warmup, repeats: job.repeats, budgetMs: 1e9 }, 300_000, threads);
      const m: Measurement = { what: 'train-step', where: 'chromium-worker', backend: 'wasm', threads: r.threads ?? undefined, model: job.model, mode: modeOf(job.config), batch: job.batch, status: r.status, warmup: job.warmup,
        note: ['core TrainingSession in a bench worker', `WASM ${r.threads ?? '?'} thread${r.threads === 1 ? '' : 's'} (${r.adapter ?? 'no adapter text'})`, r.note].filter(Boolean).join('; ') };
      if (r.status === 'ok' && r.times?.length) Object.assign(m, summarise(r.times));
      out.push(m);
      log(`chromium wasm (${r.threads ?? '?'} thread${r.threads === 1 ? '' : 's'}) ${job.model} ${m.mode} b${job.batch}: ${m.status === 'ok' ? `${m.medianMs!.toFixed(0)} ms/step` : `${m.status} ${m.note}`}`);
    }
  }
  if (!quick) {
    for (const backend of ['webgl', 'webgpu'] as Backend[]) {
      const c = mnistConfig({ mode: 'ct' });
      const r = await core(page, backend, { type: 'train', config: c, warmup: 1, repeats: 1, budgetMs: 1 }, 300_000);
      const m: Measurement = { what: 'train-step', where: 'chromium-worker', backend, model: 'unet', mode: 'CT', batch: 64, status: r.status, warmup: 1,
        note: ['core TrainingSession in a bench worker', label(backend), r.note].filter(Boolean).join('; ') };
      if (r.status === 'ok' && r.times?.length) Object.assign(m, summarise(r.times), { note: `${m.note}; first step incl. shader compile ${(r.warmupMs![0] / 1000).toFixed(1)} s` });
      out.push(m);
      log(`chromium ${backend} unet CT b64: ${m.status === 'ok' ? `${(m.medianMs! / 1000).toFixed(1)} s/step` : `${m.status} ${m.note}`}`);
    }
    out.push({ what: 'train-step', where: 'chromium-worker', backend: 'cpu', model: 'unet', mode: 'CT', batch: 64, status: 'skipped',
      note: 'the pure-JS cpu backend: see the Node cpu extrapolation (far too slow to time here)' });
  } else {
    out.push({ what: 'train-step', where: 'chromium-worker', backend: 'webgl', model: 'unet', mode: 'CT', batch: 64, status: 'skipped', note: '--quick: a U-Net step takes minutes on software adapters' });
  }
  await page.close();
  return { measurements: out, adapter };
}
