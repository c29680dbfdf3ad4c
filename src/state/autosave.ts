// Keeps the current run in the browser: every checkpoint the worker sends is offered here, and the newest
// one is written later, off the event that brought it (at most one write at a time, at most one every
// `minIntervalMs` while training). A full store first makes room by dropping the oldest other runs; a
// store that cannot be used is reported once and training never waits for any of it.
import type { Config } from '../core/config';
import type { RunStorage, SavedRun, SavedRunMeta } from './runStorage';
import { isQuotaError, newestFirst, StorageUnavailableError } from './runStorage';

/** What is kept next to the run file: its settings (read from the file itself), name, picture and history. */
export interface RunDescription {
  name: string;
  summary: string;
  thumbnail: string | null;
  config: Config;
  points: Float64Array | null;
  lossSteps: Float64Array;
  lossValues: Float64Array;
}

export type AutosaveProblem = 'unavailable' | 'full' | 'failed';

export interface AutosaveOptions {
  /** Opens the storage once, on the first write or list; throws StorageUnavailableError where there is none. */
  open: () => Promise<RunStorage>;
  /** Cheap, at the checkpoint's arrival: what the page shows of this run now (latest samples, loss history). */
  capture?: () => unknown;
  /** At writing time, off the event: the description of this checkpoint and what `capture` returned. */
  describe: (runFile: ArrayBuffer, captured: unknown) => RunDescription;
  /** Called once per kind of problem per page visit. */
  report: (problem: AutosaveProblem, detail: string) => void;
  onSaved?: (meta: SavedRunMeta) => void;
  /** An older run was deleted to make room for the current one. */
  onEvicted?: (meta: SavedRunMeta) => void;
  /** navigator.storage.estimate, where the browser has it. */
  estimate?: () => Promise<{ usage?: number; quota?: number } | undefined>;
  /** Least time between two writes while training (ms); paused runs are written after `pausedDelayMs`. */
  minIntervalMs?: number;
  pausedDelayMs?: number;
  /** Runs kept at most (the oldest saves go first). */
  maxRuns?: number;
  now?: () => number;
  newId?: () => string;
}

interface RunIdentity {
  id: string;
  createdAt: number;
}

interface Job {
  run: RunIdentity;
  step: number;
  bytes: ArrayBuffer;
  captured: unknown;
  /** Least time since the previous write before this one. */
  gapMs: number;
}

const randomId = () => `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export class Autosaver {
  private storage: Promise<RunStorage | null> | null = null;
  private run: RunIdentity;
  private pending: Job | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> | null = null;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private readonly reported = new Set<AutosaveProblem>();
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(private readonly o: AutosaveOptions) {
    this.now = o.now ?? Date.now;
    this.newId = o.newId ?? randomId;
    this.run = { id: this.newId(), createdAt: this.now() };
  }

  /** The id the current run is saved under. */
  get runId(): string {
    return this.run.id;
  }

  /** The storage, or null where the browser keeps none (reported once). */
  store(): Promise<RunStorage | null> {
    if (!this.storage) {
      this.storage = this.o.open().catch((e: unknown) => {
        const detail = e instanceof Error ? e.message : String(e);
        this.problem(e instanceof StorageUnavailableError ? 'unavailable' : 'failed', detail);
        return null;
      });
    }
    return this.storage;
  }

  /** A new run started (settings changed, reset): later checkpoints go to a new entry. */
  newRun(): void {
    this.run = { id: this.newId(), createdAt: this.now() };
    this.dropPending();
  }

  /** A saved run was resumed: later checkpoints replace its entry. */
  continueRun(id: string, createdAt: number): void {
    this.run = { id, createdAt };
    this.dropPending();
  }

  /** A checkpoint arrived; `training` says whether more will follow soon (throttled) or not (written soon). */
  offer(step: number, bytes: ArrayBuffer, training: boolean): void {
    // Step 0 holds nothing trained (a link rebuilds it). And a rebuilt run's first checkpoint arrives before
    // the page calls newRun(), so it would be saved under the previous run's entry: over a trained run, or
    // as a stray "Resume run from step 0" entry (seen on MNIST, whose build is slow).
    if (step === 0) return;
    const gapMs = training ? this.o.minIntervalMs ?? 10_000 : this.o.pausedDelayMs ?? 0;
    this.pending = { run: this.run, step, bytes, captured: this.o.capture?.(), gapMs };
    this.schedule(gapMs);
  }

  /** Writes a waiting checkpoint now (the tab is being hidden or closed) and waits for every write. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing) await this.writing;
    if (this.pending) await this.startWrite();
  }

  private dropPending(): void {
    this.pending = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(minGapMs: number): void {
    if (this.timer || this.writing) return; // the running write schedules the next one when it ends
    const delay = Math.max(0, this.lastWriteAt + minGapMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.startWrite();
    }, delay);
  }

  private startWrite(): Promise<void> {
    const job = this.pending;
    this.pending = null;
    if (!job) return Promise.resolve();
    this.writing = this.write(job).finally(() => {
      this.writing = null;
      if (this.pending) this.schedule(this.pending.gapMs);
    });
    return this.writing;
  }

  private async write(job: Job): Promise<void> {
    const storage = await this.store();
    if (!storage || job.run !== this.run) return; // no storage, or the run changed while waiting
    const d = this.describe(job);
    if (!d) return;
    const run: SavedRun = {
      id: job.run.id, name: d.name, createdAt: job.run.createdAt, savedAt: this.now(), step: job.step, summary: d.summary,
      thumbnail: d.thumbnail, bytes: job.bytes.byteLength,
      runFile: job.bytes, config: d.config, points: d.points, lossSteps: d.lossSteps, lossValues: d.lossValues,
    };
    try {
      await this.makeRoom(storage, run.bytes);
      await this.saveFreeingSpace(storage, run);
      this.lastWriteAt = this.now();
      const { runFile: _f, config: _c, points: _p, lossSteps: _s, lossValues: _v, ...meta } = run;
      this.o.onSaved?.(meta);
      await this.prune(storage);
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      this.problem(isQuotaError(e) ? 'full' : 'failed', detail);
    }
  }

  private describe(job: Job): RunDescription | null {
    try {
      return this.o.describe(job.bytes, job.captured);
    } catch (e) {
      this.problem('failed', `the run could not be described: ${(e as Error).message}`);
      return null;
    }
  }

  /** Where the browser tells its quota: drop the oldest other runs until this write fits twice over. */
  private async makeRoom(storage: RunStorage, bytes: number): Promise<void> {
    const e = await this.o.estimate?.().catch(() => undefined);
    if (!e || !e.quota || e.usage === undefined) return;
    let free = e.quota - e.usage;
    if (free >= 2 * bytes) return;
    const others = (await storage.list()).filter((m) => m.id !== this.run.id).sort(newestFirst).reverse();
    for (const m of others) {
      if (free >= 2 * bytes) break;
      await storage.remove(m.id);
      this.o.onEvicted?.(m);
      free += m.bytes;
    }
  }

  /** A full store: drop the oldest other run and try again, until none is left. */
  private async saveFreeingSpace(storage: RunStorage, run: SavedRun): Promise<void> {
    for (;;) {
      try {
        await storage.save(run);
        return;
      } catch (e) {
        if (!isQuotaError(e)) throw e;
        const oldest = (await storage.list()).filter((m) => m.id !== run.id).sort(newestFirst).pop();
        if (!oldest) throw e;
        await storage.remove(oldest.id);
        this.o.onEvicted?.(oldest);
      }
    }
  }

  private async prune(storage: RunStorage): Promise<void> {
    const max = this.o.maxRuns ?? 12;
    const all = (await storage.list()).sort(newestFirst);
    for (const m of all.slice(max)) if (m.id !== this.run.id) await storage.remove(m.id);
  }

  private problem(kind: AutosaveProblem, detail: string): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.o.report(kind, detail);
  }
}
