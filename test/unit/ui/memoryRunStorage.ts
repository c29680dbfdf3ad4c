// An in-memory RunStorage for tests: optional space limit (bytes of run files) that fails like a full
// browser store, and counters of what was called.
import type { RunStorage, SavedRun, SavedRunMeta } from '../../../src/state/runStorage';
import { newestFirst } from '../../../src/state/runStorage';

export class MemoryRunStorage implements RunStorage {
  readonly runs = new Map<string, SavedRun>();
  saves = 0;
  failedSaves = 0;
  constructor(public quotaBytes = Number.POSITIVE_INFINITY) {}

  used(exceptId?: string): number {
    let n = 0;
    for (const r of this.runs.values()) if (r.id !== exceptId) n += r.runFile.byteLength;
    return n;
  }

  async list(): Promise<SavedRunMeta[]> {
    return [...this.runs.values()].map(({ runFile: _f, config: _c, points: _p, lossSteps: _s, lossValues: _v, ...meta }) => meta).sort(newestFirst);
  }

  async load(id: string): Promise<SavedRun | null> {
    return this.runs.get(id) ?? null;
  }

  async save(run: SavedRun): Promise<void> {
    if (this.used(run.id) + run.runFile.byteLength > this.quotaBytes) {
      this.failedSaves++;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    this.saves++;
    this.runs.set(run.id, { ...run });
  }

  async remove(id: string): Promise<void> {
    this.runs.delete(id);
  }
}
