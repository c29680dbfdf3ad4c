// Main-thread side of the training worker: spawns it lazily, matches replies to requests, routes events,
// and after a crash respawns the worker and restores the last checkpoint it sent, so a user loses at
// most the steps since that checkpoint.
import type { Config } from '../core/config';
import type { PretrainedRole } from '../core/run/pretrained';
import type { LpipsNet } from '../core/lpips/index';
import type {
  BackendChoice, BackendName, CheckpointEvent, Command, CommandBody, EditReply, EditRequest, ErrorCode, LpipsSourceOverride, LpipsStatusEvent, ReplyEvent, ViewRequest, WorkerEvent,
  WorkerEventType,
} from './protocol';

export class WorkerCommandError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'WorkerCommandError';
  }
}

type Handler<T extends WorkerEventType> = (e: Extract<WorkerEvent, { type: T }>) => void;

export interface ClientOptions {
  createWorker: () => Worker;
  /** Called after a crash was recovered (or could not be). */
  onCrash?: (info: { restoredStep: number | null; message: string }) => void;
  /** Give up respawning after this many crashes in a row without progress. */
  maxRespawns?: number;
}

interface Pending {
  resolve: (r: ReplyEvent) => void;
  reject: (e: Error) => void;
  body: CommandBody;
}

export class TrainerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<WorkerEventType, Set<(e: WorkerEvent) => void>>();
  // What is needed to rebuild the worker's state after a crash.
  private lastInit: BackendChoice | null = null;
  private lastWasmThreads: number | undefined;
  private lastConfigure: { config: Config; points?: Float64Array } | null = null;
  private lastView: ViewRequest | null = null;
  private lastPrepare: Record<string, BackendName> | null = null;
  private lastCheckpoint: CheckpointEvent | null = null;
  /** LPIPS files the user gave, per backbone (only those the worker kept), replayed to a respawned worker. */
  private readonly lpipsFiles = new Map<LpipsNet, Map<string, Blob | ArrayBuffer>>();
  /** Backbones whose cached or downloaded weights were asked for (restored from the cache after a respawn). */
  private readonly lpipsCached = new Map<LpipsNet, LpipsSourceOverride | undefined>();
  private readonly lpipsStatus = new Map<LpipsNet, LpipsStatusEvent>();
  private wasTraining = false;
  private lastPhase: string | null = null;
  private respawns = 0;
  private recovering = false;
  private disposed = false;

  constructor(private readonly options: ClientOptions) {}

  on<T extends WorkerEventType>(type: T, handler: Handler<T>): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler as (e: WorkerEvent) => void);
    return () => set!.delete(handler as (e: WorkerEvent) => void);
  }

  /** The latest checkpoint the worker sent (crash recovery, and "download run"). */
  get checkpoint(): CheckpointEvent | null {
    return this.lastCheckpoint;
  }

  send(body: CommandBody, transfer: Transferable[] = []): Promise<ReplyEvent> {
    if (this.disposed) return Promise.reject(new Error('the trainer client was terminated'));
    this.remember(body);
    const id = this.nextId++;
    return new Promise<ReplyEvent>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, body });
      this.ensureWorker().postMessage({ ...body, id } as Command, transfer);
    });
  }

  init(backend: BackendChoice, wasmThreads?: number) {
    return this.send({ type: 'init', backend, wasmThreads });
  }
  configure(config: Config, points?: Float64Array, snapshot = true) {
    return this.send({ type: 'configure', config, points, snapshot });
  }
  start() {
    return this.send({ type: 'start' });
  }
  pause() {
    return this.send({ type: 'pause' });
  }
  step(count: number) {
    return this.send({ type: 'step', count });
  }
  reset() {
    return this.send({ type: 'reset' });
  }
  setView(view: ViewRequest) {
    return this.send({ type: 'setView', view });
  }
  requestSnapshot() {
    return this.send({ type: 'snapshot' });
  }
  /** Quality of the current weights now (and in 2D the flow-map view). */
  evaluate() {
    return this.send({ type: 'evaluate' });
  }
  /** The run file; `withNextDraws` for "Export run" (scripts/torch/run-bundle.md). */
  async exportWeights(withNextDraws = false): Promise<ArrayBuffer> {
    const r = await this.send({ type: 'exportWeights', withNextDraws });
    if (!r.bytes) throw new Error('the worker sent no weights');
    return r.bytes;
  }
  importWeights(bytes: ArrayBuffer) {
    return this.send({ type: 'importWeights', bytes: bytes.slice(0) });
  }
  /** Puts a run file (a checkpoint or a saved run) into the configured run; the worker answers with a checkpoint. */
  restore(runFile: ArrayBuffer) {
    return this.send({ type: 'restore', checkpoint: runFile.slice(0) });
  }
  loadPretrained(role: PretrainedRole) {
    return this.send({ type: 'loadPretrained', role });
  }
  /** Background work after a configure (auto backend choice, shader warm-up); a later Start waits for it. */
  prepare(remembered: Record<string, BackendName> = {}, remeasure = false) {
    return this.send({ type: 'prepare', remembered, remeasure });
  }
  setBackend(backend: BackendChoice) {
    return this.send({ type: 'setBackend', backend });
  }
  /**
   * LPIPS weight files the user chose (read or copied, then transferred). Answered after an lpipsStatus event.
   * The files the worker kept are remembered (a File is only a handle) and given again to a respawned worker.
   */
  async lpipsWeights(net: LpipsNet, files: Array<{ name: string; bytes: ArrayBuffer | Blob }>): Promise<ReplyEvent> {
    const r = await this.sendLpipsFiles(net, files);
    const kept = new Set(this.lpipsStatus.get(net)?.files.filter((f) => f.origin === 'file').map((f) => f.name) ?? []);
    const held = this.lpipsFiles.get(net) ?? new Map<string, Blob | ArrayBuffer>();
    for (const f of files) if (kept.has(f.name)) held.set(f.name, f.bytes);
    if (held.size > 0) this.lpipsFiles.set(net, held);
    return r;
  }
  lpipsDownload(net: LpipsNet, sources?: LpipsSourceOverride) {
    this.lpipsCached.set(net, sources);
    return this.send({ type: 'lpipsDownload', net, sources });
  }
  lpipsRestore(net: LpipsNet, sources?: LpipsSourceOverride) {
    this.lpipsCached.set(net, sources);
    return this.send({ type: 'lpipsRestore', net, sources });
  }

  private async sendLpipsFiles(net: LpipsNet, files: Array<{ name: string; bytes: ArrayBuffer | Blob }>): Promise<ReplyEvent> {
    const copies = await Promise.all(files.map((f) => (f.bytes instanceof Blob ? f.bytes.arrayBuffer() : f.bytes.slice(0))));
    return this.send({ type: 'lpipsWeights', net, files: copies, names: files.map((f) => f.name) }, copies);
  }

  /** After a respawn: the user's LPIPS files again, then the cached weights (so LPIPS runs can be rebuilt). */
  private async replayLpips(): Promise<void> {
    for (const [net, files] of this.lpipsFiles) {
      try {
        await this.sendLpipsFiles(net, [...files].map(([name, bytes]) => ({ name, bytes })));
      } catch (err) {
        console.warn(`LPIPS files for ${net} could not be given to the restarted worker`, err);
      }
    }
    for (const [net, sources] of this.lpipsCached) {
      try {
        await this.send({ type: 'lpipsRestore', net, sources });
      } catch (err) {
        console.warn(`cached LPIPS weights for ${net} could not be restored in the restarted worker`, err);
      }
    }
  }
  /** Stops a running edit: its request fails with code 'aborted'; training goes on if it was running. */
  abortEdit() {
    return this.send({ type: 'abortEdit' });
  }
  /** Zero-shot editing with the current model (the worker pauses training first, and resumes it afterwards). */
  async edit(request: EditRequest): Promise<EditReply> {
    const training = this.wasTraining;
    const r = await this.send({ type: 'edit', request }).finally(() => {
      // The worker went on training by itself before it answered: a crash from now on resumes training too.
      if (training && this.lastPhase === 'training') this.wasTraining = true;
    });
    if (!r.edit) throw new Error('the worker sent no edit result');
    return r.edit;
  }

  terminate(): void {
    this.disposed = true;
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new Error('the trainer client was terminated'));
    this.pending.clear();
  }

  private remember(body: CommandBody): void {
    switch (body.type) {
      case 'init':
        this.lastInit = body.backend;
        this.lastWasmThreads = body.wasmThreads;
        break;
      case 'setBackend':
        this.lastInit = body.backend;
        break;
      case 'configure':
        this.lastConfigure = { config: body.config, points: body.points };
        this.lastCheckpoint = null;
        this.wasTraining = false;
        break;
      case 'setView':
        this.lastView = body.view;
        break;
      case 'prepare':
        this.lastPrepare = body.remembered ?? {};
        break;
      case 'start':
        this.wasTraining = true;
        break;
      case 'pause':
      case 'reset':
        this.wasTraining = false;
        if (body.type === 'reset') this.lastCheckpoint = null;
        break;
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = this.options.createWorker();
    w.onmessage = (ev: MessageEvent<WorkerEvent>) => this.dispatch(ev.data);
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault?.();
      void this.recover(ev.message || 'the training worker crashed');
    };
    w.onmessageerror = () => void this.recover('a message from the training worker could not be read');
    this.worker = w;
    return w;
  }

  private dispatch(e: WorkerEvent): void {
    if (e.type === 'reply') {
      const p = this.pending.get(e.id);
      if (p) {
        this.pending.delete(e.id);
        if (e.ok) p.resolve(e);
        else p.reject(new WorkerCommandError(e.error?.code ?? 'internal', e.error?.message ?? 'command failed'));
      }
    } else if (e.type === 'lpipsStatus') {
      this.lpipsStatus.set(e.net, e);
    } else if (e.type === 'checkpoint') {
      this.lastCheckpoint = e;
      // The checkpoint that recovery itself restores is no progress: a crash loop must still give up.
      if (!this.recovering) this.respawns = 0;
    } else if (e.type === 'status' && (e.phase === 'paused' || e.phase === 'done' || e.phase === 'failed')) {
      this.wasTraining = false;
    }
    if (e.type === 'status') this.lastPhase = e.phase;
    this.handlers.get(e.type)?.forEach((h) => h(e));
  }

  /** Respawn the worker and replay init, configure, the last checkpoint and the view. */
  private async recover(message: string): Promise<void> {
    this.worker?.terminate();
    this.worker = null;
    const lost = [...this.pending.values()];
    this.pending.clear();
    for (const p of lost) p.reject(new WorkerCommandError('internal', `${message} (request "${p.body.type}" was lost)`));
    if (this.disposed) return;
    if (++this.respawns > (this.options.maxRespawns ?? 3)) {
      this.options.onCrash?.({ restoredStep: null, message: `${message}; gave up after ${this.respawns - 1} restarts` });
      return;
    }
    const checkpoint = this.lastCheckpoint;
    const resume = this.wasTraining;
    this.recovering = true;
    try {
      if (this.lastInit) await this.send({ type: 'init', backend: this.lastInit, wasmThreads: this.lastWasmThreads });
      // Before the configure: a run with the LPIPS metric is built only when its weights are there.
      await this.replayLpips();
      if (this.lastConfigure) {
        const cfg = this.lastConfigure;
        await this.send({ type: 'configure', config: cfg.config, points: cfg.points });
        if (checkpoint) {
          this.lastCheckpoint = checkpoint;
          await this.send({ type: 'restore', checkpoint: checkpoint.bytes.slice(0) });
        }
      }
      if (this.lastView) await this.send({ type: 'setView', view: this.lastView });
      if (this.lastConfigure && this.lastPrepare) await this.send({ type: 'prepare', remembered: this.lastPrepare });
      this.recovering = false;
      this.options.onCrash?.({ restoredStep: checkpoint?.step ?? 0, message });
      if (resume) await this.send({ type: 'start' });
    } catch (err) {
      this.options.onCrash?.({ restoredStep: null, message: `${message}; restoring failed: ${(err as Error).message}` });
    } finally {
      this.recovering = false;
    }
  }
}
