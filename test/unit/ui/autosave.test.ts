// The autosaver against an in-memory store: throttled and coalesced writes that never run inside the
// checkpoint event, one entry per run, room made by dropping the oldest other runs, and storage problems
// reported once while later checkpoints are still accepted.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS } from '../../../src/core/config';
import { Autosaver, type AutosaveOptions, type AutosaveProblem } from '../../../src/state/autosave';
import { StorageUnavailableError } from '../../../src/state/runStorage';
import { MemoryRunStorage } from './memoryRunStorage';

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill).buffer;

function setup(storage: MemoryRunStorage | null, extra: Partial<AutosaveOptions> = {}) {
  const problems: { kind: AutosaveProblem; detail: string }[] = [];
  const evicted: string[] = [];
  let ids = 0;
  const saver = new Autosaver({
    open: async () => {
      if (!storage) throw new StorageUnavailableError('no IndexedDB (test)');
      return storage;
    },
    describe: (runFile) => ({
      name: `run of ${runFile.byteLength} bytes`, summary: 'CD · moons', thumbnail: null, config: DEFAULTS, points: null,
      lossSteps: new Float64Array([1, 2]), lossValues: new Float64Array([0.5, 0.4]),
    }),
    report: (kind, detail) => problems.push({ kind, detail }),
    onEvicted: (m) => evicted.push(m.id),
    minIntervalMs: 10_000,
    newId: () => `run-${++ids}`,
    ...extra,
  });
  return { saver, problems, evicted };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Autosaver', () => {
  it('writes nothing inside the checkpoint event, then throttles and keeps only the newest checkpoint', async () => {
    const store = new MemoryRunStorage();
    const { saver } = setup(store);
    saver.offer(5, bytes(100), true);
    expect(store.saves).toBe(0); // the write happens later, never in the handler
    await vi.advanceTimersByTimeAsync(0);
    expect(store.saves).toBe(1);
    expect(store.runs.get('run-1')?.step).toBe(5);
    // Three more while training, within the interval: one write, of the newest.
    saver.offer(10, bytes(100), true);
    saver.offer(15, bytes(100), true);
    saver.offer(20, bytes(100), true);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(store.saves).toBe(1);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(store.saves).toBe(2);
    expect(store.runs.get('run-1')?.step).toBe(20);
    expect(store.runs.size).toBe(1);
  });

  it('writes the checkpoint of a pause soon, and flush writes a waiting one at once', async () => {
    const store = new MemoryRunStorage();
    const { saver } = setup(store, { pausedDelayMs: 500 });
    saver.offer(5, bytes(10), true);
    await vi.advanceTimersByTimeAsync(0);
    saver.offer(8, bytes(10), false); // paused: no 10 s wait
    await vi.advanceTimersByTimeAsync(600);
    expect(store.runs.get('run-1')?.step).toBe(8);
    saver.offer(12, bytes(10), true);
    await saver.flush(); // the tab is being hidden
    expect(store.runs.get('run-1')?.step).toBe(12);
  });

  it('keeps one entry per run: a new run gets a new entry, a resumed run replaces its own', async () => {
    const store = new MemoryRunStorage();
    const { saver } = setup(store, { minIntervalMs: 0 });
    saver.offer(5, bytes(10), false);
    await vi.advanceTimersByTimeAsync(0);
    saver.newRun();
    saver.offer(7, bytes(10), false);
    await vi.advanceTimersByTimeAsync(0);
    expect([...store.runs.keys()].sort()).toEqual(['run-1', 'run-2']);
    const first = store.runs.get('run-1')!;
    saver.continueRun('run-1', first.createdAt);
    saver.offer(30, bytes(10), false);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.runs.size).toBe(2);
    expect(store.runs.get('run-1')?.step).toBe(30);
    expect(store.runs.get('run-1')?.lossSteps).toEqual(new Float64Array([1, 2]));
  });

  it('drops a waiting checkpoint of a run that was replaced before it was written', async () => {
    const store = new MemoryRunStorage();
    const { saver } = setup(store);
    saver.offer(5, bytes(10), true);
    saver.newRun();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(store.saves).toBe(0);
  });

  it('a full store drops the oldest other runs to keep the current one, and says which', async () => {
    const store = new MemoryRunStorage(250);
    const { saver, problems, evicted } = setup(store, { minIntervalMs: 0 });
    for (let run = 0; run < 2; run++) {
      if (run > 0) saver.newRun();
      saver.offer(10, bytes(100), false);
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(store.runs.size).toBe(2);
    saver.newRun();
    saver.offer(10, bytes(100), false);
    await vi.advanceTimersByTimeAsync(1);
    expect(evicted).toEqual(['run-1']);
    expect([...store.runs.keys()].sort()).toEqual(['run-2', 'run-3']);
    expect(problems).toEqual([]);
  });

  it('a run too large for the store is reported once; training goes on and later checkpoints are still taken', async () => {
    const store = new MemoryRunStorage(50);
    const { saver, problems } = setup(store, { minIntervalMs: 0 });
    for (let i = 1; i <= 3; i++) {
      expect(() => saver.offer(i, bytes(100), false)).not.toThrow();
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(store.failedSaves).toBe(3);
    expect(problems.map((p) => p.kind)).toEqual(['full']);
    expect(problems[0].detail).toMatch(/quota/i);
    // Space freed (the user deleted runs elsewhere): the next checkpoint is kept.
    store.quotaBytes = 1_000;
    saver.offer(4, bytes(100), false);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.runs.get('run-1')?.step).toBe(4);
  });

  it('makes room before writing when the browser says its quota is nearly used', async () => {
    const store = new MemoryRunStorage();
    let usage = 0;
    const { saver, evicted } = setup(store, { minIntervalMs: 0, estimate: async () => ({ usage, quota: 1_000 }) });
    saver.offer(1, bytes(300), false);
    await vi.advanceTimersByTimeAsync(1);
    saver.newRun();
    usage = 700; // 300 free: not twice the 300-byte write
    saver.offer(1, bytes(300), false);
    await vi.advanceTimersByTimeAsync(1);
    expect(evicted).toEqual(['run-1']);
    expect([...store.runs.keys()]).toEqual(['run-2']);
  });

  it('without storage (private mode) reports once and never throws', async () => {
    const { saver, problems } = setup(null, { minIntervalMs: 0 });
    for (let i = 0; i < 3; i++) {
      saver.offer(i, bytes(10), false);
      await vi.advanceTimersByTimeAsync(1);
    }
    await saver.flush();
    expect(problems.map((p) => p.kind)).toEqual(['unavailable']);
    expect(await saver.store()).toBeNull();
  });

  it('never saves a step-0 checkpoint: it would replace the trained run it arrives under', async () => {
    const store = new MemoryRunStorage();
    const { saver } = setup(store, { minIntervalMs: 0 });
    saver.offer(52, bytes(10), false);
    await vi.advanceTimersByTimeAsync(1);
    // Settings changed: the rebuilt run's first checkpoint (step 0) comes before the page's newRun().
    saver.offer(0, bytes(20), false);
    await vi.advanceTimersByTimeAsync(1);
    saver.newRun();
    expect(store.runs.get('run-1')?.step).toBe(52);
    expect(store.runs.size).toBe(1);
  });

  it('keeps at most maxRuns, dropping the oldest saves', async () => {
    const store = new MemoryRunStorage();
    const { saver } = setup(store, { minIntervalMs: 0, maxRuns: 3, now: () => Date.now() });
    for (let run = 0; run < 5; run++) {
      if (run > 0) saver.newRun();
      saver.offer(run + 1, bytes(10), false);
      await vi.advanceTimersByTimeAsync(10);
    }
    expect([...store.runs.keys()].sort()).toEqual(['run-3', 'run-4', 'run-5']);
  });
});
