// The real training worker, driven through its real client in Chromium with WebGPU enabled.
import { describe, expect, it } from 'vitest';
import { workerHarnessPerFile, type WorkerHarness as H } from './workerPage';

const page = workerHarnessPerFile();

const TINY = { width: 16, depth: 2, batchSize: 32, timeFeatures: 8, N: 8, evalEvery: 1000, steps: 1000 };

describe('training worker through its client', () => {
  it('starts on WebGPU when chosen and reports the adapter', async () => {
    const ready = await page().evaluate(async () => {
      const h = (window as unknown as { harness: H }).harness;
      await h.client.init('webgpu');
      return h.lastOf('ready');
    });
    expect(ready.backend).toBe('webgpu');
    expect(ready.fallbackReasons).toEqual([]);
  });

  it('configures a CT run, steps it, and the snapshot changes', async () => {
    const result = await page().evaluate(async (tiny) => {
      const h = (window as unknown as { harness: H }).harness;
      await h.client.configure(h.config({ ...tiny, mode: 'ct' }));
      const before = h.lastOf('snapshot');
      await h.client.step(3);
      const after = h.lastOf('snapshot');
      const progress = h.lastOf('progress');
      return { beforeStep: before.step, afterStep: after.step, same: before.samples[0].every((v: number, i: number) => v === after.samples[0][i]), progressStep: progress.step, losses: Array.from(progress.losses as Float32Array) };
    }, TINY);
    expect(result.beforeStep).toBe(0);
    expect(result.afterStep).toBe(3);
    expect(result.same).toBe(false);
    expect(result.progressStep).toBe(3);
    expect(result.losses.every((l) => Number.isFinite(l))).toBe(true);
  });

  it('rejects an invalid config with a clear message and keeps the run', async () => {
    const r = await page().evaluate(async () => {
      const h = (window as unknown as { harness: H }).harness;
      try {
        await h.client.configure(h.config({ N: 1 }));
        return { ok: true, message: '' };
      } catch (e) {
        return { ok: false, message: (e as Error).message, code: (e as { code?: string }).code };
      }
    });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/N: "1" must be an integer >= 2/);
  });

  it('pause stops the step counter', async () => {
    const r = await page().evaluate(async () => {
      const h = (window as unknown as { harness: H }).harness;
      await h.client.start();
      await new Promise((res) => setTimeout(res, 1500));
      await h.client.pause();
      const at = h.lastOf('progress').step;
      await new Promise((res) => setTimeout(res, 1000));
      return { at, later: h.lastOf('progress').step };
    });
    expect(r.at).toBeGreaterThan(3);
    expect(r.later).toBe(r.at);
  });

  it('exports weights and imports them back to the same samples', async () => {
    const r = await page().evaluate(async () => {
      const h = (window as unknown as { harness: H }).harness;
      const bytes = await h.client.exportWeights();
      const snapA = h.lastOf('snapshot');
      await h.client.step(2);
      const snapB = h.lastOf('snapshot');
      await h.client.importWeights(bytes);
      const snapC = h.lastOf('snapshot');
      const eq = (a: Float32Array, b: Float32Array) => a.every((v, i) => v === b[i]);
      return { sizeOk: bytes.byteLength > 1000, changed: !eq(snapA.samples[0], snapB.samples[0]), restored: eq(snapA.samples[0], snapC.samples[0]), step: snapC.step, stepA: snapA.step };
    });
    expect(r.sizeOk).toBe(true);
    expect(r.changed).toBe(true);
    expect(r.restored).toBe(true);
    expect(r.step).toBe(r.stepA);
  });

  it('refuses a weights file of another architecture and changes nothing', async () => {
    const r = await page().evaluate(async (tiny) => {
      const h = (window as unknown as { harness: H }).harness;
      const bytes = await h.client.exportWeights();
      const before = h.lastOf('snapshot');
      await h.client.configure(h.config({ ...tiny, mode: 'ct', width: 24 }));
      const fresh = h.lastOf('snapshot');
      try {
        await h.client.importWeights(bytes);
        return { ok: true, message: '' };
      } catch (e) {
        const after = h.lastOf('snapshot');
        return { ok: false, message: (e as Error).message, unchanged: after.version === fresh.version, beforeVersion: before.version };
      }
    }, TINY);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/different model \(width: file 16, model 24\)/);
    expect(r.unchanged).toBe(true);
  });

  it('respawns a crashed worker and restores the last checkpoint', async () => {
    const r = await page().evaluate(async () => {
      const h = (window as unknown as { harness: H }).harness;
      await h.client.step(4);
      const ck = h.client.checkpoint;
      const stepBefore = h.lastOf('progress').step;
      h.client.send({ type: 'debug', action: 'crash' }).catch(() => {});
      for (let i = 0; i < 600 && h.crashes.length === 0; i++) await new Promise((res) => setTimeout(res, 100));
      return { crashes: h.crashes, stepBefore, checkpointStep: ck?.step ?? null, stepAfter: h.lastOf('snapshot').step };
    });
    expect(r.crashes.length).toBe(1);
    expect(r.checkpointStep).toBe(r.stepBefore);
    expect((r.crashes[0] as { restoredStep: number }).restoredStep).toBe(r.stepBefore);
    expect(r.stepAfter).toBe(r.stepBefore);
  });

  it('falls back to another backend when the WebGPU device is lost, keeping the run', async () => {
    const r = await page().evaluate(async (tiny) => {
      const h = (window as unknown as { harness: H }).harness;
      await h.client.init('webgpu');
      await h.client.configure(h.config({ ...tiny, mode: 'ct' }));
      await h.client.step(3);
      const readyBefore = h.count('ready');
      await h.client.send({ type: 'debug', action: 'lose-device' });
      for (let i = 0; i < 600 && h.count('ready') === readyBefore; i++) await new Promise((res) => setTimeout(res, 100));
      for (let i = 0; i < 600 && h.lastOf('status')?.phase !== 'idle'; i++) await new Promise((res) => setTimeout(res, 100));
      const lostError = h.events.filter((e) => e.type === 'error').pop() as { code: string; recoverable: boolean } | undefined;
      const ready = h.lastOf('ready');
      const snap = h.lastOf('snapshot');
      await h.client.step(1);
      return { lostError, backend: ready.backend, stepAfterFallback: snap.step, stepAfterMore: h.lastOf('snapshot').step };
    }, TINY);
    expect(r.lostError?.code).toBe('device-lost');
    expect(r.lostError?.recoverable).toBe(true);
    expect(r.backend).not.toBe('webgpu');
    expect(r.stepAfterFallback).toBe(3);
    expect(r.stepAfterMore).toBe(4);
  });

  it('a configure that fails while building (LPIPS weights missing) leaves the current run usable', async () => {
    const r = await page().evaluate(async (tiny) => {
      const h = (window as unknown as { harness: H }).harness;
      const before = h.lastOf('snapshot').step;
      let message = '';
      try {
        await h.client.configure(h.config({ dataset: 'mnist', model: 'unet-tiny', mode: 'ct', metric: 'lpips', lpipsResolution: '28', batchSize: 2 }));
      } catch (e) {
        message = (e as Error).message;
      }
      await h.client.step(1);
      return { message, before, after: h.lastOf('snapshot').step, dataShape: h.lastOf('static').dataShape };
    }, TINY);
    expect(r.message).toMatch(/LPIPS/);
    expect(r.after).toBe(r.before + 1);
    expect(r.dataShape).toEqual([2]);
  });

  it('auto starts on WASM; prepare names the skipped software adapter, and a Start sent meanwhile runs after it', async () => {
    const r = await page().evaluate(async (tiny) => {
      const h = (window as unknown as { harness: H }).harness;
      await h.client.init('auto');
      await h.client.configure(h.config({ ...tiny, mode: 'ct' }));
      const readyAfterInit = h.lastOf('ready').backend;
      const prepared = h.client.prepare({});
      const started = h.client.start();
      await prepared;
      await started;
      for (let i = 0; i < 600 && !(h.lastOf('progress')?.step >= 1); i++) await new Promise((res) => setTimeout(res, 100));
      await h.client.pause();
      return { readyAfterInit, ready: h.lastOf('ready').backend, choice: h.lastOf('backendChoice'), step: h.lastOf('progress').step };
    }, TINY);
    expect(r.readyAfterInit).toBe('wasm');
    expect(r.ready).toBe('wasm');
    expect(r.choice.backend).toBe('wasm');
    expect(r.choice.summary).toContain('WebGPU (software adapter) skipped');
    expect(r.choice.key).toMatch(/^mlp\|webgpu=.*swiftshader/i);
    expect(r.choice.measured).toBe(false);
    expect(r.step).toBeGreaterThanOrEqual(1);
  });

  it('a diverging update: no checkpoint of the ruined state, NaN pause restores the last known-good state, and crash recovery uses it', async () => {
    const r = await page().evaluate(async (tiny) => {
      const h = (window as unknown as { harness: H }).harness;
      await h.client.init('wasm');
      await h.client.configure(h.config({ ...tiny, mode: 'ct', seed: 11 }));
      await h.client.step(12);
      const good = { checkpoint: h.client.checkpoint?.step ?? null, samples: Array.from(h.lastOf('snapshot').samples[0] as Float32Array) };
      // Update 13 uses a learning rate of 1e30 (development-build hook): weights ~1e30, still finite.
      await h.client.send({ type: 'debug', action: 'diverge' });
      await h.client.step(1);
      const ruined = { step: h.lastOf('progress').step, loss: Array.from(h.lastOf('progress').losses as Float32Array), checkpoint: h.client.checkpoint?.step ?? null };
      const errorsBefore = h.count('error');
      await h.client.step(3); // the loss of step 14, computed from the ruined weights, is not finite
      const error = h.events.filter((e) => e.type === 'error').pop() as { code: string; recoverable: boolean; message: string };
      const after = {
        errors: h.count('error') - errorsBefore, error, status: h.lastOf('status').phase, step: h.lastOf('progress').step,
        samples: Array.from(h.lastOf('snapshot').samples[0] as Float32Array), snapshotStep: h.lastOf('snapshot').step,
        checkpoint: h.client.checkpoint?.step ?? null,
      };
      // A crash now: the respawned worker gets the last checkpoint sent, which must be the known-good state.
      const crashesBefore = h.crashes.length;
      h.client.send({ type: 'debug', action: 'crash' }).catch(() => {});
      for (let i = 0; i < 600 && h.crashes.length === crashesBefore; i++) await new Promise((res) => setTimeout(res, 100));
      const restoredStep = (h.crashes[h.crashes.length - 1] as { restoredStep: number }).restoredStep;
      await h.client.step(2);
      const resumed = { step: h.lastOf('progress').step, losses: Array.from(h.lastOf('progress').losses as Float32Array) };
      return { good, ruined, after, restoredStep, resumed };
    }, TINY);
    expect(r.good.checkpoint).toBe(12);
    expect(r.ruined.step).toBe(13);
    expect(r.ruined.loss.every(Number.isFinite)).toBe(true); // computed from the weights after step 12
    expect(r.ruined.checkpoint).toBe(12); // the weights after update 13 were checked and not sent
    expect(r.after.errors).toBe(1);
    expect(r.after.error.code).toBe('nan-loss');
    expect(r.after.error.recoverable).toBe(true);
    expect(r.after.error.message).toMatch(/The loss became (NaN|-?Infinity) at step 14\. Training is paused and the last good checkpoint \(step 12: finite weights, and a finite loss computed from them\) is restored/);
    expect(r.after.status).toBe('paused');
    expect(r.after.step).toBe(12);
    expect(r.after.snapshotStep).toBe(12);
    expect(r.after.samples).toEqual(r.good.samples);
    expect(r.after.checkpoint).toBe(12);
    expect(r.restoredStep).toBe(12);
    expect(r.resumed.step).toBe(14);
    expect(r.resumed.losses.length).toBeGreaterThan(0);
    expect(r.resumed.losses.every(Number.isFinite)).toBe(true);
  });

  it('a Start waiting in the queue is dropped when Pause arrives first', async () => {
    const r = await page().evaluate(async () => {
      const h = (window as unknown as { harness: H }).harness;
      const trainingStatuses = () => h.events.filter((e) => e.type === 'status' && e.phase === 'training').length;
      const before = trainingStatuses();
      const stepping = h.client.step(50); // occupies the queue
      const started = h.client.start(); // queued behind it
      await h.client.pause(); // acts at once
      await stepping;
      await started; // a started loop would have said "training" before this reply
      return { trainingRuns: trainingStatuses() - before, phase: h.lastOf('status').phase };
    });
    expect(r.trainingRuns).toBe(1); // the step command's own loop only
    expect(r.phase).not.toBe('training');
  });
});
