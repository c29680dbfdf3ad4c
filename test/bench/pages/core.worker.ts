/// <reference lib="webworker" />
// Bench worker: times the core's TrainingSession directly (train steps, sampling) on one backend, set up
// exactly as the app's worker does it (src/worker/backend.ts). The app's own worker is measured through
// its client in bench.ts; this one gives clean per-step numbers for models too slow to run its loop.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../../../src/core/config';
import { multistepSample } from '../../../src/core/cm/sampling';
import { Rng } from '../../../src/core/rng';
import { TrainingSession } from '../../../src/core/run/session';
import { sampleSize } from '../../../src/core/tensorUtil';
import { selectBackend } from '../../../src/worker/backend';
import type { BackendName } from '../../../src/worker/protocol';
import { loadSessionResources } from '../../../src/worker/resources';
import { wasmThreadCount } from '../../../src/core/models/hostKernel';
import { useWasmThreadsFor } from '../../../src/worker/wasmThreads';
import { timeRuns } from '../lib/stats';

export type CoreRequest =
  | { id: number; type: 'init'; backend: BackendName; wasmThreads?: number }
  | { id: number; type: 'train'; config: Config; warmup: number; repeats: number; budgetMs: number }
  | { id: number; type: 'sample'; config: Config; count: number; taus: number[]; warmup: number; repeats: number; budgetMs: number };

const scope = self as unknown as DedicatedWorkerGlobalScope;

async function settle(loss: tf.Tensor): Promise<void> {
  await loss.data();
  loss.dispose();
}

async function open(c: Config): Promise<TrainingSession> {
  useWasmThreadsFor(c.dataset === 'mnist' ? 'images' : 'points'); // as the app's worker sizes its pool per run
  const s = new TrainingSession(c, await loadSessionResources(c), 64);
  while (s.phase === 'teacher') await settle((await s.trainStep()).loss);
  return s;
}


async function handle(r: CoreRequest): Promise<unknown> {
  switch (r.type) {
    case 'init': {
      const b = await selectBackend(r.backend, [], r.wasmThreads);
      return { backend: b.backend, adapter: b.adapter, fallbackReasons: b.fallbackReasons };
    }
    case 'train': {
      const s = await open(r.config);
      try {
        return { ...(await timeRuns(async () => settle((await s.trainStep()).loss), r.warmup, r.repeats, r.budgetMs)), threads: wasmThreadCount() };
      } finally {
        s.dispose();
      }
    }
    case 'sample': {
      const s = await open(r.config);
      try {
        const size = sampleSize(s.data.dataShape);
        const rng = new Rng(7, 'bench-sampling');
        const noise = { initial: rng.normals(r.count * size), perTau: r.taus.map(() => rng.normals(r.count * size)) };
        return await timeRuns(async () => {
          await multistepSample(s.net, s.samplingParams('ema'), noise, r.taus, s.data.dataShape, s.samplingSettings());
        }, r.warmup, r.repeats, r.budgetMs);
      } finally {
        s.dispose();
      }
    }
  }
}

scope.onmessage = async (ev: MessageEvent<CoreRequest>) => {
  try {
    scope.postMessage({ id: ev.data.id, ok: true, value: await handle(ev.data) });
  } catch (e) {
    scope.postMessage({ id: ev.data.id, ok: false, error: (e as Error).message });
  }
};
