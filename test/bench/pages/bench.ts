// Benchmark page: drives (a) the app's real training worker through its real client (TrainerClient), as
// the playground does, and (b) the bench core worker for clean per-step and sampling timings. Every call
// has a deadline; a worker that overruns it is terminated so the next measurement starts clean.
import { DEFAULTS, type Config } from '../../../src/core/config';
import { TrainerClient } from '../../../src/worker/client';
import type { BackendName, ProgressEvent, ReadyEvent, ViewRequest } from '../../../src/worker/protocol';
import type { CoreRequest } from './core.worker';

type Body<T> = T extends { id: number } ? Omit<T, 'id'> : never;

class Timeout extends Error {}

function deadline<T>(p: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new Timeout(`no result within ${Math.round(ms / 1000)} s`));
    }, ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

const errorResult = (e: unknown) => ({ status: e instanceof Timeout ? 'timeout' : 'error', note: (e as Error).message });

/** Training throughput of the app's worker: start(), then time between progress events (every 8 steps). */
async function appWorkerThroughput(backend: BackendName, overrides: Partial<Config>, intervals: number, timeoutMs: number) {
  const client = new TrainerClient({ createWorker: () => new Worker(new URL('../../../src/worker/trainer.worker.ts', import.meta.url), { type: 'module' }) });
  const progress: { t: number; step: number; msPerStep: number }[] = [];
  let ready: ReadyEvent | null = null;
  client.on('ready', (e) => (ready = e));
  client.on('progress', (e: ProgressEvent) => progress.push({ t: performance.now(), step: e.step, msPerStep: e.msPerStep }));
  let stopped = false;
  const run = async () => {
    // A view without snapshots while training: the loop then reads losses every 8 steps and nothing else.
    const view: ViewRequest = { probeCount: 64, trajectoryCount: 2, consistencyTimes: [1], cursorT: 1, weights: 'ema', snapshotIntervalMs: 1e9 };
    await client.init(backend);
    const r = ready as ReadyEvent | null;
    if (!r || r.backend !== backend) return { status: 'unsupported', note: `worker fell back to ${r?.backend}: ${r?.fallbackReasons.join('; ')}` };
    await client.setView(view);
    const config: Config = { ...DEFAULTS, evalEvery: 1_000_000, steps: 10_000_000, ...overrides };
    const t0 = performance.now();
    await client.configure(config); // builds the run and does one warm-up step (shader compilation)
    const configureMs = performance.now() - t0;
    const tStart = performance.now();
    await client.start();
    while (!stopped && progress.length < intervals) await new Promise((res) => setTimeout(res, 20));
    await client.pause();
    const marks = [{ t: tStart, step: 0 }, ...progress.slice(0, intervals)];
    const perStep = marks.slice(1).map((m, i) => (m.t - marks[i].t) / Math.max(1, m.step - marks[i].step));
    return { status: 'ok', configureMs, perStep, stepsTimed: marks[marks.length - 1].step, adapter: r.adapter, workerMsPerStep: progress.map((p) => p.msPerStep) };
  };
  try {
    return await deadline(run(), timeoutMs, () => client.terminate());
  } catch (e) {
    return errorResult(e);
  } finally {
    stopped = true;
    client.terminate();
  }
}

/** One request to a fresh bench core worker on `backend` (`wasmThreads`: that many on wasm, else all it can). */
async function core(backend: BackendName, body: Body<CoreRequest>, timeoutMs: number, wasmThreads?: number) {
  const worker = new Worker(new URL('./core.worker.ts', import.meta.url), { type: 'module' });
  let nextId = 1;
  const call = (b: Body<CoreRequest>) => new Promise<unknown>((resolve, reject) => {
    const id = nextId++;
    const onMessage = (ev: MessageEvent<{ id: number; ok: boolean; value?: unknown; error?: string }>) => {
      if (ev.data.id !== id) return;
      worker.removeEventListener('message', onMessage);
      if (ev.data.ok) resolve(ev.data.value);
      else reject(new Error(ev.data.error));
    };
    worker.addEventListener('message', onMessage);
    worker.onerror = (e) => reject(new Error(e.message || 'bench worker crashed'));
    worker.postMessage({ ...b, id });
  });
  const run = async () => {
    const init = (await call({ type: 'init', backend, wasmThreads })) as { backend: string; adapter: string | null; fallbackReasons: string[] };
    if (init.backend !== backend) return { status: 'unsupported', note: `fell back to ${init.backend}: ${init.fallbackReasons.join('; ')}` };
    const r = (await call(body)) as { times: number[]; warmupMs: number[] };
    return { status: 'ok', adapter: init.adapter, ...r };
  };
  try {
    return await deadline(run(), timeoutMs, () => worker.terminate());
  } catch (e) {
    return errorResult(e);
  } finally {
    worker.terminate();
  }
}

const bench = {
  appWorkerThroughput,
  core,
  defaults: DEFAULTS,
  adapterInfo: async () => {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }).gpu;
    const a = gpu ? await gpu.requestAdapter() : null;
    return a?.info ? { vendor: a.info.vendor, architecture: a.info.architecture, description: a.info.description } : null;
  },
};
(window as unknown as { bench: typeof bench }).bench = bench;
(window as unknown as { benchReady: boolean }).benchReady = true;
