/// <reference lib="webworker" />
// The training worker. Imports tfjs and the core only (never UI modules). It owns the backend, the
// session and the training loop; the page sees only protocol events. Long work yields between steps so
// Pause and view changes are handled at once.
import * as tf from '@tensorflow/tfjs';
import { validateConfig, type Config } from '../core/config';
import { SessionError, TrainingSession } from '../core/run/session';
import { ProbeSet, computeSnapshot, teacherTrajectories } from '../core/run/views';
import type { Trajectories } from '../core/teacher/trajectories';
import { EditError } from '../core/edit/errors';
import { deviceLost, selectBackend, type BackendResult } from './backend';
import { editTransfer, runEdit } from './editing';
import { loadSessionResources, pretrainedModelBytes } from './resources';
import { LpipsWorkerState, cacheStorageBytes } from './lpips';
import type { BackendChoice, BackendName, Command, EditReply, ErrorCode, Phase, ViewRequest, WorkerEvent } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (e: WorkerEvent, transfer: Transferable[] = []) => scope.postMessage(e, transfer);

export const DEFAULT_VIEW: ViewRequest = {
  probeCount: 1000, trajectoryCount: 12, consistencyTimes: [80, 10, 2, 0.5, 0.1], cursorT: 1, weights: 'ema', snapshotIntervalMs: 100,
};
const CHECKPOINT_INTERVAL_MS = 5000;
const LOSS_READ_EVERY = 8;

let backendChoice: BackendChoice = 'auto';
let backend: BackendResult | null = null;
let config: Config | null = null;
let points: Float64Array | undefined;
let session: TrainingSession | null = null;
let probes: ProbeSet | null = null;
let trajectories: Trajectories | null = null;
let view: ViewRequest = DEFAULT_VIEW;
let running = false;
let loop: Promise<void> | null = null;
let snapshotVersion = 0;
let lastCheckpointBytes: Uint8Array | null = null;
const lpips = new LpipsWorkerState({
  post, fetch: (url, init) => fetch(url, init), cache: cacheStorageBytes(),
  canMeasure: () => backend !== null && !running, config: () => config,
});

function status(phase: Phase, message: string): void {
  post({ type: 'status', phase, message });
}

function requireSession(): TrainingSession {
  if (!session) throw new SessionError('invalid-config', 'no run is configured yet');
  return session;
}

async function stopLoop(): Promise<void> {
  running = false;
  if (loop) await loop;
}

/** Images are costly to evaluate: fewer probes and short trajectories on the N = 18 grid. */
function probeCounts(s: TrainingSession): { probes: number; trajectories: number; points: number } {
  return s.dataset2d
    ? { probes: view.probeCount, trajectories: view.trajectoryCount, points: 48 }
    : { probes: Math.min(view.probeCount, 64), trajectories: Math.min(view.trajectoryCount, 2), points: 18 };
}

async function sendStatic(): Promise<void> {
  const s = requireSession();
  const counts = probeCounts(s);
  probes = new ProbeSet(s, counts.probes, counts.trajectories);
  trajectories = await teacherTrajectories(s, probes, counts.points);
  const schedule = s.trainer?.scheduleAt() ?? null;
  post({
    type: 'static',
    dataShape: s.data.dataShape,
    data: probes.data.slice(),
    trajectoryTimes: trajectories?.times ?? new Float64Array(0),
    trajectoryStates: trajectories?.states ?? [],
    sigmas: schedule?.sigmas ?? new Float64Array(0),
    normalisation: s.dataset2d ? s.dataset2d.normalisation : null,
  });
}

async function sendSnapshot(): Promise<void> {
  const s = requireSession();
  if (!s.trainer || !probes) return;
  const snap = await computeSnapshot(s, probes, trajectories, view);
  const transfer = [...snap.samples, ...snap.consistencyOutputs, snap.cursorMapped, snap.cursorNoised].map((a) => a.buffer);
  post({
    type: 'snapshot', version: ++snapshotVersion, step: s.step, samples: snap.samples, taus: s.config.taus,
    consistencyTimes: snap.consistencyTimes, consistencyInputs: snap.consistencyInputs.map((a) => a.slice()),
    consistencyOutputs: snap.consistencyOutputs, consistencySpread: snap.consistencySpread,
    cursorT: snap.cursorT, cursorNoised: snap.cursorNoised, cursorMapped: snap.cursorMapped,
  }, transfer);
}

async function sendCheckpoint(): Promise<void> {
  const s = requireSession();
  lastCheckpointBytes = await s.exportRunFile();
  const copy = lastCheckpointBytes.slice();
  post({ type: 'checkpoint', step: s.step, bytes: copy.buffer }, [copy.buffer]);
}

async function sendQuality(): Promise<void> {
  const s = requireSession();
  if (!s.trainer) return;
  const q = await s.evaluate(view.weights);
  post({ type: 'quality', ...q });
}

function classify(e: unknown): { code: ErrorCode; message: string } {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof SessionError) return { code: e.code, message };
  if (e instanceof EditError) return { code: 'invalid-edit', message };
  if (/out of memory|OOM|allocation failed|Failed to allocate/i.test(message)) {
    return { code: 'out-of-memory', message: `The GPU ran out of memory (${message}). Try a smaller batch size or model.` };
  }
  return { code: 'internal', message };
}

const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));

/** Trains until paused, the budget is reached, `maxSteps` are done, or the loss becomes non-finite. */
async function trainLoop(maxSteps = Number.POSITIVE_INFINITY): Promise<void> {
  const s = requireSession();
  const c = s.config;
  let pending: { phase: 'teacher' | 'student'; step: number; loss: tf.Scalar; N: number; mu: number; lr: number }[] = [];
  let done = 0;
  let lastSnapshot = 0;
  let lastCheckpoint = performance.now();
  let msPerStep = 0;
  let windowStart = performance.now();
  let windowSteps = 0;

  const flush = async (): Promise<boolean> => {
    if (pending.length === 0) return true;
    const batch = pending;
    pending = [];
    const values = await Promise.all(batch.map((p) => p.loss.data()));
    batch.forEach((p) => p.loss.dispose());
    const bad = values.findIndex((v) => !Number.isFinite(v[0]));
    const good = bad < 0 ? batch : batch.slice(0, bad);
    const last = batch[batch.length - 1];
    post({
      type: 'progress', step: s.step, teacherStep: s.teacherStep, phase: last.phase,
      lossSteps: Float64Array.from(good, (p) => p.step), losses: Float32Array.from(good, (_, i) => values[i][0]),
      N: last.N, mu: last.mu, lr: last.lr,
      stepsPerSecond: msPerStep > 0 ? 1000 / msPerStep : 0, msPerStep,
    });
    if (bad >= 0) {
      running = false;
      const at = batch[bad];
      try {
        const restored = s.recoverFromNonFinite();
        post({ type: 'error', code: 'nan-loss', recoverable: true,
          message: `The loss became ${values[bad][0]} at step ${at.step}. Training is paused and the last good checkpoint (step ${restored}) is restored. Lower the learning rate, clip gradients, or reset.` });
      } catch (e) {
        post({ type: 'error', code: 'nan-loss', recoverable: false, message: (e as Error).message });
      }
      status('paused', 'paused after a non-finite loss');
      return false;
    }
    if (last.phase === 'student') await s.noteFiniteLoss(50);
    return true;
  };

  status(s.phase === 'teacher' ? 'teacher' : 'training', s.phase === 'teacher' ? 'training the EDM teacher' : 'training');
  try {
    while (running && done < maxSteps) {
      if (s.phase === 'student' && s.step >= c.steps) {
        running = false;
        await flush();
        await sendSnapshot();
        status('done', `step budget of ${c.steps} reached`);
        return;
      }
      const t0 = performance.now();
      const phaseBefore = s.phase;
      const r = await s.trainStep();
      pending.push(r);
      done++;
      windowSteps++;
      if (pending.length >= LOSS_READ_EVERY || done >= maxSteps || !running) {
        if (!(await flush())) return;
      }
      const now = performance.now();
      if (now - windowStart > 500) {
        msPerStep = (now - windowStart) / windowSteps;
        windowStart = now;
        windowSteps = 0;
      } else if (msPerStep === 0) {
        msPerStep = now - t0;
      }
      if (phaseBefore === 'teacher' && s.phase === 'student') {
        if (!(await flush())) return;
        await sendStatic();
        status('training', 'teacher trained; distilling');
      }
      if (s.phase === 'student' && s.step % c.evalEvery === 0) await sendQuality();
      if (now - lastSnapshot >= view.snapshotIntervalMs) {
        if (!(await flush())) return;
        if (s.phase === 'student') await sendSnapshot();
        lastSnapshot = performance.now();
      }
      if (now - lastCheckpoint >= CHECKPOINT_INTERVAL_MS && s.phase === 'student') {
        await sendCheckpoint();
        lastCheckpoint = performance.now();
      }
      await yieldToEvents();
    }
    if (!(await flush())) return;
    if (s.phase === 'student') {
      await sendSnapshot();
      await sendCheckpoint(); // so a crash after a pause loses nothing
    }
    const paused = !running;
    running = false;
    status(paused ? 'paused' : 'idle', paused ? 'paused' : `did ${done} step${done === 1 ? '' : 's'}`);
  } catch (e) {
    running = false;
    tf.dispose(pending.map((p) => p.loss));
    const err = classify(e);
    post({ type: 'error', code: err.code, message: err.message, recoverable: err.code === 'out-of-memory' });
    status('paused', err.code === 'out-of-memory' ? 'paused: out of memory' : 'paused after an error');
  }
}

function startLoop(maxSteps?: number): Promise<void> {
  running = true;
  loop = trainLoop(maxSteps).finally(() => {
    loop = null;
  });
  return loop;
}

async function initBackend(choice: BackendChoice, exclude: string[] = []): Promise<void> {
  const t0 = performance.now();
  status('loading', `starting the ${choice} backend`);
  backend = await selectBackend(choice, exclude as BackendName[]);
  backendChoice = choice;
  post({ type: 'ready', backend: backend.backend, adapter: backend.adapter, fallbackReasons: backend.fallbackReasons, warmupMs: performance.now() - t0 });
  watchDevice();
}

function watchDevice(): void {
  const lost = deviceLost();
  if (!lost) return;
  const watched = tf.backend();
  void lost.then(async (why) => {
    if (tf.backend() !== watched) return; // a later backend switch already replaced it
    const wasRunning = running;
    running = false;
    post({ type: 'error', code: 'device-lost', recoverable: true, message: `The WebGPU device was lost (${why}). Falling back to another backend and restoring the last checkpoint.` });
    try {
      await initBackend('auto', ['webgpu']);
      if (config) await rebuild(config, points, lastCheckpointBytes);
      if (wasRunning) void startLoop();
    } catch (e) {
      post({ type: 'error', code: 'backend-failed', recoverable: false, message: (e as Error).message });
    }
  });
}

/** (Re)creates the session for `cfg`, optionally loading a run file, warms up and sends the static view. */
async function rebuild(cfg: Config, pts: Float64Array | undefined, restoreBytes: Uint8Array | null): Promise<void> {
  status('loading', 'building the run');
  const resources = await loadSessionResources(cfg, pts);
  if (cfg.metric === 'lpips') resources.lpips = await lpips.distanceFor(cfg);
  // Digits: 256 evaluation samples, as many as the classifier's floor uses (and U-Net memory stays modest).
  // The new run is complete before the old one goes, so a failure here leaves the user's run as it was.
  const next = new TrainingSession(cfg, resources, cfg.dataset === 'mnist' ? 256 : 1000);
  try {
    if (restoreBytes) await next.importRunFile(restoreBytes);
  } catch (e) {
    next.dispose();
    throw e;
  }
  session?.dispose();
  session = next;
  config = cfg;
  points = pts;
  if (session.trainer) {
    status('warming-up', 'compiling shaders (warm-up step)');
    const t0 = performance.now();
    const ck = await session.trainer.checkpoint();
    const r = session.trainer.trainStep();
    await r.loss.data();
    r.loss.dispose();
    session.trainer.restore(ck);
    await sendStatic();
    await sendSnapshot();
    status('idle', `ready (warm-up ${(performance.now() - t0).toFixed(0)} ms)`);
  } else {
    await sendStatic();
    status('idle', 'ready: the teacher trains first');
  }
  lastCheckpointBytes = await session.exportRunFile();
  if (cfg.metric === 'lpips') await lpips.measureCost(cfg);
}

async function handle(cmd: Command): Promise<ArrayBuffer | EditReply | undefined> {
  switch (cmd.type) {
    case 'init':
      await stopLoop();
      await initBackend(cmd.backend);
      if (config) await rebuild(config, points, lastCheckpointBytes);
      return;
    case 'setBackend':
      await stopLoop();
      await initBackend(cmd.backend);
      if (config) await rebuild(config, points, session ? await session.exportRunFile() : lastCheckpointBytes);
      return;
    case 'configure': {
      const { config: checked, errors } = validateConfig(cmd.config as unknown as Record<string, unknown>);
      if (errors.length) throw new SessionError('invalid-config', errors.join('; '));
      await stopLoop();
      if (!backend) await initBackend(backendChoice);
      await rebuild(checked, cmd.points, null);
      return;
    }
    case 'start':
      requireSession();
      if (!running) void startLoop();
      return;
    case 'pause':
      await stopLoop();
      return;
    case 'step':
      requireSession();
      await stopLoop();
      await startLoop(Math.max(1, Math.floor(cmd.count)));
      return;
    case 'reset':
      await stopLoop();
      if (!config) throw new SessionError('invalid-config', 'no run is configured yet');
      await rebuild(config, points, null);
      return;
    case 'setView': {
      const countsChanged = cmd.view.probeCount !== view.probeCount || cmd.view.trajectoryCount !== view.trajectoryCount;
      view = cmd.view;
      if (session && countsChanged) await sendStatic();
      if (session && !running) await sendSnapshot();
      return;
    }
    case 'snapshot':
      await sendSnapshot();
      return;
    case 'exportWeights': {
      const bytes = await requireSession().exportRunFile();
      return bytes.slice().buffer;
    }
    case 'importWeights':
    case 'restore': {
      const s = requireSession();
      await stopLoop();
      const bytes = new Uint8Array(cmd.type === 'restore' ? cmd.checkpoint : cmd.bytes);
      await s.importRunFile(bytes); // throws (and changes nothing) on a wrong file
      lastCheckpointBytes = bytes;
      await sendStatic();
      await sendSnapshot();
      post({ type: 'progress', step: s.step, teacherStep: s.teacherStep, phase: s.phase, lossSteps: new Float64Array(0), losses: new Float32Array(0),
        N: s.trainer?.scheduleAt().N ?? 0, mu: s.trainer?.scheduleAt().mu ?? 0, lr: 0, stepsPerSecond: 0, msPerStep: 0 });
      status('idle', `weights loaded at step ${s.step}`);
      return;
    }
    case 'loadPretrained': {
      const s = requireSession();
      if (s.config.dataset !== 'mnist') throw new SessionError('invalid-config', 'pretrained models exist for mnist only');
      await stopLoop();
      await s.importRunFile(await pretrainedModelBytes(cmd.role));
      lastCheckpointBytes = await s.exportRunFile();
      await sendSnapshot();
      status('idle', `pretrained ${cmd.role.toUpperCase()} model loaded`);
      return;
    }
    case 'edit': {
      const s = requireSession();
      // Edits use the model as it is now; training waits for the user to resume. Showing a digit needs no pause.
      if (cmd.request.task !== 'reference') await stopLoop();
      return runEdit(s, cmd.request);
    }
    case 'lpipsWeights':
      await lpips.addFiles(cmd.net, cmd.files.map((b, i) => ({ name: cmd.names[i] ?? `file ${i + 1}`, bytes: new Uint8Array(b) })));
      await lpips.measureCost();
      return;
    case 'lpipsDownload':
      await lpips.download(cmd.net, cmd.sources);
      await lpips.measureCost();
      return;
    case 'lpipsRestore':
      await lpips.restore(cmd.net, cmd.sources);
      await lpips.measureCost();
      return;
    case 'debug':
      if (cmd.action === 'crash') {
        setTimeout(() => {
          throw new Error('deliberate crash (debug command)');
        }, 0);
      } else {
        const device = (tf.backend() as unknown as { device?: { destroy(): void } }).device;
        if (!device) throw new SessionError('invalid-config', 'the active backend has no WebGPU device');
        device.destroy();
      }
      return;
  }
}

// Commands run one at a time, except pause (and view changes) which must act while training runs.
let queue: Promise<unknown> = Promise.resolve();
scope.onmessage = (ev: MessageEvent<Command>) => {
  const cmd = ev.data;
  const run = async () => {
    try {
      const out = await handle(cmd);
      if (out && !(out instanceof ArrayBuffer)) post({ type: 'reply', id: cmd.id, ok: true, edit: out }, editTransfer(out));
      else post({ type: 'reply', id: cmd.id, ok: true, bytes: out }, out ? [out] : []);
    } catch (e) {
      const err = classify(e);
      post({ type: 'reply', id: cmd.id, ok: false, error: err });
    }
  };
  if (cmd.type === 'pause' || cmd.type === 'setView' || cmd.type === 'snapshot') void run();
  else queue = queue.then(run);
};
