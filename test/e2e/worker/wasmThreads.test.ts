// WASM threads in the real worker (src/worker/wasmThreads.ts): the test pages are cross-origin isolated (the
// dev server's COOP/COEP headers), a client can cap the threads (compare mode shares the cores among its
// runs), the adapter field says how many run, and a worker respawned after a crash keeps the cap.
import { describe, expect, it } from 'vitest';
import { workerHarnessPerFile, type WorkerHarness as H } from './workerPage';

const page = workerHarnessPerFile();

describe('WASM threads', () => {
  it('a capped worker runs one thread, trains, and keeps the cap after a crash', async () => {
    const r = await page().evaluate(async () => {
      const h = (window as unknown as { harness: H }).harness;
      await h.client.init('wasm', 1);
      const first = h.lastOf('ready');
      await h.client.configure(h.config({ width: 16, depth: 2, batchSize: 32, timeFeatures: 8, evalEvery: 1000, steps: 1000 }));
      await h.client.step(2);
      const readies = h.count('ready');
      const crashesBefore = h.crashes.length;
      h.client.send({ type: 'debug', action: 'crash' }).catch(() => {});
      for (let i = 0; i < 600 && h.crashes.length === crashesBefore; i++) await new Promise((res) => setTimeout(res, 100));
      return { isolated: crossOriginIsolated, first: first.adapter, afterCrash: h.count('ready') > readies ? h.lastOf('ready').adapter : 'no ready event', step: h.lastOf('progress').step };
    });
    expect(r.isolated).toBe(true);
    expect(r.first).toBe('1 thread');
    expect(r.step).toBe(2);
    expect(r.afterCrash).toBe('1 thread');
  });
});
