// The real worker through its real client in Chromium: a running edit can be aborted and training goes on
// afterwards if it was running; LPIPS files the user gave come back in a worker respawned after a crash.
import { describe, expect, it } from 'vitest';
import { workerHarnessPerFile, type WorkerHarness as H } from './workerPage';

const page = workerHarnessPerFile();

/** The default 4x256 MLP: an edit of 4,096 samples over 40 steps takes seconds on WASM, long enough to abort. */
const RUN = { batchSize: 32, evalEvery: 100000, steps: 100000 };
const SLOW_EDIT = { task: 'fix2d', seeds: Array.from({ length: 4096 }, (_, i) => i), steps: 40, constraint: { kind: 'fix', axis: 0, value: 0.3 } };

describe('edits can be aborted, and training goes on', () => {
  it('aborts a running edit within a step; training that was running resumes', async () => {
    const r = await page().evaluate(async ({ run, edit }) => {
      const h = (window as unknown as { harness: H }).harness;
      await h.client.init('wasm');
      await h.client.configure(h.config(run));
      await h.client.start();
      for (let i = 0; i < 600 && !(h.lastOf('progress')?.step >= 3); i++) await new Promise((res) => setTimeout(res, 50));
      const editing = h.client.edit(edit as never).then(() => ({ code: 'finished', at: performance.now() }), (e) => ({ code: (e as { code?: string }).code ?? String(e), at: performance.now() }));
      // Wait until training has stopped for the edit, then abort.
      for (let i = 0; i < 600 && h.lastOf('status')?.phase === 'training'; i++) await new Promise((res) => setTimeout(res, 20));
      const stepAtEdit = h.lastOf('progress').step;
      await new Promise((res) => setTimeout(res, 300));
      const abortedAt = performance.now();
      await h.client.abortEdit();
      const outcome = await editing;
      // Training goes on by itself: new steps arrive without a Start.
      for (let i = 0; i < 600 && !(h.lastOf('progress')?.step >= stepAtEdit + 5); i++) await new Promise((res) => setTimeout(res, 50));
      const stepAfter = h.lastOf('progress').step;
      await h.client.pause();
      return { code: outcome.code, abortMs: outcome.at - abortedAt, stepAtEdit, stepAfter, phaseAfterAbort: h.events.filter((e) => e.type === 'status').slice(-3).map((e) => (e as { phase: string }).phase) };
    }, { run: RUN, edit: SLOW_EDIT });
    expect(r.code).toBe('aborted');
    expect(r.abortMs).toBeLessThan(5_000);
    expect(r.stepAfter).toBeGreaterThanOrEqual(r.stepAtEdit + 5);
  });

  it('a finished edit also resumes training; an edit while paused leaves it paused', async () => {
    const r = await page().evaluate(async () => {
      const h = (window as unknown as { harness: H }).harness;
      const quick = { task: 'fix2d', seeds: [1, 2, 3], steps: 2, constraint: { kind: 'fix', axis: 1, value: -0.2 } };
      await h.client.start();
      for (let i = 0; i < 600 && h.lastOf('status')?.phase !== 'training'; i++) await new Promise((res) => setTimeout(res, 50));
      const reply = await h.client.edit(quick as never);
      const before = h.lastOf('progress').step;
      for (let i = 0; i < 600 && !(h.lastOf('progress')?.step >= before + 5); i++) await new Promise((res) => setTimeout(res, 50));
      const resumed = h.lastOf('progress').step - before;
      await h.client.pause();
      await new Promise((res) => setTimeout(res, 200));
      await h.client.edit(quick as never);
      const pausedAt = h.lastOf('progress').step;
      await new Promise((res) => setTimeout(res, 1000));
      return { batch: reply.batch, resumed, stillPaused: h.lastOf('progress').step === pausedAt, phase: h.lastOf('status').phase };
    });
    expect(r.batch).toBe(3);
    expect(r.resumed).toBeGreaterThanOrEqual(5);
    expect(r.stillPaused).toBe(true);
    expect(r.phase).not.toBe('training');
  });

  it('a Pause sent during an edit wins: training stays paused after the edit', async () => {
    const r = await page().evaluate(async ({ edit }) => {
      const h = (window as unknown as { harness: H }).harness;
      await h.client.start();
      for (let i = 0; i < 600 && h.lastOf('status')?.phase !== 'training'; i++) await new Promise((res) => setTimeout(res, 50));
      const editing = h.client.edit(edit as never).catch((e) => e);
      await new Promise((res) => setTimeout(res, 300));
      await h.client.pause();
      await h.client.abortEdit();
      await editing;
      const at = h.lastOf('progress').step;
      await new Promise((res) => setTimeout(res, 1000));
      return { moved: h.lastOf('progress').step - at, phase: h.lastOf('status').phase };
    }, { edit: SLOW_EDIT });
    expect(r.moved).toBe(0);
    expect(r.phase).not.toBe('training');
  });
});

describe('a crash after an edit', () => {
  it('training that went on after an edit also goes on after a crash (the client knows it was training)', async () => {
    const r = await page().evaluate(async (run) => {
      const h = (window as unknown as { harness: H }).harness;
      const quick = { task: 'fix2d', seeds: [1, 2], steps: 2, constraint: { kind: 'fix', axis: 0, value: 0.1 } };
      await h.client.init('wasm');
      await h.client.configure(h.config(run));
      await h.client.start();
      for (let i = 0; i < 600 && h.lastOf('status')?.phase !== 'training'; i++) await new Promise((res) => setTimeout(res, 50));
      await h.client.edit(quick as never);
      const afterEdit = h.lastOf('progress').step;
      // Past the next timed checkpoint (every 5 s), so the crash has a recent state to restore.
      for (let i = 0; i < 600 && !(h.lastOf('checkpoint')?.step > afterEdit); i++) await new Promise((res) => setTimeout(res, 50));
      const crashesBefore = h.crashes.length;
      h.client.send({ type: 'debug', action: 'crash' }).catch(() => {});
      for (let i = 0; i < 600 && h.crashes.length === crashesBefore; i++) await new Promise((res) => setTimeout(res, 100));
      const restored = h.crashes[h.crashes.length - 1].restoredStep ?? -1;
      for (let i = 0; i < 300 && !(h.lastOf('progress')?.step >= restored + 5); i++) await new Promise((res) => setTimeout(res, 100));
      const moved = h.lastOf('progress').step - restored;
      await h.client.pause();
      return { restored, afterEdit, moved };
    }, RUN);
    expect(r.restored).toBeGreaterThan(r.afterEdit);
    expect(r.moved).toBeGreaterThanOrEqual(5);
  });
});

describe('LPIPS files after a worker crash', () => {
  it('the files the user gave are given again to the respawned worker (both parts loaded, unverified)', async () => {
    const r = await page().evaluate(async () => {
      const h = (window as unknown as { harness: H }).harness;
      const syn = h.syntheticLpips('squeeze');
      const wrong = new Uint8Array([1, 2, 3, 4]);
      await h.client.lpipsWeights('squeeze', [
        { name: 'my-lin.safetensors', bytes: syn.lin.slice().buffer },
        { name: 'my-backbone.safetensors', bytes: new Blob([syn.backbone.slice()]) },
        { name: 'not-weights.bin', bytes: wrong.buffer },
      ]);
      const before = h.lastOf('lpipsStatus');
      const statusesBefore = h.count('lpipsStatus');
      const crashesBefore = h.crashes.length;
      h.client.send({ type: 'debug', action: 'crash' }).catch(() => {});
      for (let i = 0; i < 600 && h.crashes.length === crashesBefore; i++) await new Promise((res) => setTimeout(res, 100));
      // Ask the new worker what it holds (no sources: nothing to download, nothing cached).
      await h.client.lpipsRestore('squeeze');
      const after = h.lastOf('lpipsStatus');
      const replayed = h.events.filter((e) => e.type === 'lpipsStatus').slice(statusesBefore);
      return {
        crash: h.crashes[h.crashes.length - 1],
        beforeReady: before.readyNets, beforeProblems: before.problems.length,
        afterReady: after.readyNets, afterMissing: after.missing, afterFiles: after.files.map((f: { name: string; origin: string }) => `${f.name}:${f.origin}`).sort(),
        replayProblems: replayed.flatMap((e) => (e as { problems: string[] }).problems),
      };
    });
    expect(r.beforeReady).toContain('squeeze');
    expect(r.beforeProblems).toBe(1); // the wrong file was rejected, and is not replayed
    expect(r.crash.restoredStep).not.toBeNull();
    expect(r.afterReady).toContain('squeeze');
    expect(r.afterMissing).toEqual([]);
    expect(r.afterFiles).toEqual(['my-backbone.safetensors:file', 'my-lin.safetensors:file']);
    expect(r.replayProblems).toEqual([]);
  });
});
