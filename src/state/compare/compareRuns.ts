// Runs the comparison: one training worker per run, advanced in lockstep rounds (a round ends when the
// slowest run has done its steps; Pause lets the round finish), so every run has the same step count
// whenever the runs stop, and the cores are shared evenly; the main run pauses meanwhile. Shared links
// carry the comparison (compareUrl.ts).
import type { Config } from '../../core/config';
import { TrainerClient } from '../../worker/client';
import type { ViewRequest } from '../../worker/protocol';
import { useConfig } from '../configStore';
import { notify } from '../notices';
import { withPageParams } from '../pageParams';
import { useRun } from '../runStore';
import { session } from '../session';
import { URL_VERSION } from '../urlCodec';
import { shareUrl } from '../urlSync';
import { COMPARE_URL_KEYS, decodeCompare, encodeCompare } from './compareUrl';
import { describeDiff, MAX_RUNS, presetById, resolveRun, RUN_LABELS, type RunSpec } from './presets';
import { newRun, updateRun, useCompare } from './compareStore';

/** Steps per round: 2D steps take milliseconds, a U-Net step on digits seconds. */
export const roundSteps = (image: boolean) => (image ? 2 : 20);

const VIEW_2D: ViewRequest = { probeCount: 512, trajectoryCount: 0, consistencyTimes: [], cursorT: 1, weights: 'ema', snapshotIntervalMs: 400 };
const VIEW_IMAGES: ViewRequest = { ...VIEW_2D, probeCount: 16 };

let clients: (TrainerClient | null)[] = [];
let generation = 0;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const createWorker = () => new Worker(new URL('../../worker/trainer.worker.ts', import.meta.url), { type: 'module' });

function disposeClients(): void {
  clients.forEach((c) => c?.terminate());
  clients = [];
}

function listen(client: TrainerClient, index: number, gen: number): void {
  const live = () => gen === generation;
  const run = () => useCompare.getState().runs[index];
  client.on('progress', (e) => {
    if (!live()) return;
    const r = run();
    for (let i = 0; i < e.losses.length; i++) r.loss.push(e.lossSteps[i], e.losses[i]);
    updateRun(index, { step: e.step, msPerStep: e.msPerStep || r.msPerStep });
  });
  client.on('quality', (e) => {
    if (!live()) return;
    const r = run();
    const v = e.image ? (r.spec.sampler === 'multi' ? e.image.fd2 : e.image.fd1) : r.spec.sampler === 'multi' ? e.swd2 : e.swd1;
    r.quality.push(e.step, v);
    updateRun(index, { latestQuality: v, floor: e.image ? null : e.swdFloor });
  });
  client.on('snapshot', (e) => live() && updateRun(index, { snapshot: e }));
  client.on('static', (e) => live() && updateRun(index, { staticData: e }));
  client.on('status', (e) => live() && updateRun(index, { status: e.message || e.phase }));
  client.on('error', (e) => live() && updateRun(index, { error: e.message }));
}

/** Builds the runs (each in its own worker) for these specs on top of the page's settings. */
export async function setupComparison(presetId: string, specs: readonly RunSpec[]): Promise<void> {
  await stopNow();
  disposeClients();
  const gen = ++generation;
  const { config: base, points } = useConfig.getState();
  const runs = specs.slice(0, MAX_RUNS).map((spec, i) => newRun(RUN_LABELS[i], spec));
  useCompare.setState({ presetId, runs, busy: true, training: false, version: useCompare.getState().version + 1 });
  writeUrl();
  const backend = useRun.getState().backend ?? 'wasm';
  // The runs train at the same time: WASM threads share the cores instead of each run taking them all.
  const threadsPerRun = Math.max(1, Math.floor((navigator.hardwareConcurrency || 1) / runs.length));
  await Promise.all(runs.map(async (r, i) => {
    const { config, errors } = resolveRun(base, r.spec);
    if (!config) {
      clients[i] = null;
      updateRun(i, { error: errors.join(' '), status: 'not started' });
      return;
    }
    updateRun(i, { config, diff: describeDiff(base, config, r.spec.patch) });
    const client = new TrainerClient({ createWorker });
    clients[i] = client;
    listen(client, i, gen);
    try {
      await client.init(backend, threadsPerRun);
      await client.setView(config.dataset === 'mnist' ? VIEW_IMAGES : VIEW_2D);
      if (config.metric === 'lpips') await client.lpipsRestore(config.lpipsNet);
      await client.configure(config as Config, config.dataset === 'custom' && points ? points.slice() : undefined);
      if (gen === generation) updateRun(i, { status: 'ready' });
    } catch (err) {
      if (gen === generation) updateRun(i, { error: message(err), status: 'not started' });
      client.terminate();
      clients[i] = null;
    }
  }));
  if (gen === generation) useCompare.setState({ busy: false });
}

/** Trains every run that can, round by round, until paused or every budget is reached. */
let running: Promise<void> | null = null;

export function trainComparison(): Promise<void> {
  const s = useCompare.getState();
  if (s.training || s.busy || running) return running ?? Promise.resolve();
  running = trainRounds().finally(() => {
    running = null;
  });
  return running;
}

async function trainRounds(): Promise<void> {
  const gen = generation;
  useCompare.setState({ training: true });
  try {
    for (;;) {
      const { runs, training } = useCompare.getState();
      if (!training || gen !== generation) return;
      const active = runs.map((r, i) => i).filter((i) => clients[i] && !runs[i].error && runs[i].config && runs[i].step < runs[i].config!.steps);
      if (active.length === 0) return;
      const round = roundSteps(runs.some((r) => r.config?.dataset === 'mnist'));
      await Promise.all(active.map((i) => clients[i]!.step(Math.min(round, runs[i].config!.steps - runs[i].step)).catch((err) => {
        if (gen === generation) updateRun(i, { error: message(err) });
      })));
    }
  } finally {
    if (gen === generation) useCompare.setState({ training: false });
  }
}

/** Ends training after the current round, so the runs stop at the same step. */
export async function pauseComparison(): Promise<void> {
  if (!useCompare.getState().training) return;
  useCompare.setState({ training: false });
  while (running) await running;
}

/** Stops the workers at once (closing, or a new comparison): step counts may then differ. */
async function stopNow(): Promise<void> {
  useCompare.setState({ training: false });
  await Promise.all(clients.map((c) => c?.pause().catch(() => undefined)));
  while (running) await running;
}

/** Every run back to step 0 with its seed: the same initial weights and noise. */
export async function resetComparison(): Promise<void> {
  await pauseComparison();
  const { runs } = useCompare.getState();
  await Promise.all(runs.map(async (r, i) => {
    const c = clients[i];
    if (!c) return;
    r.loss.clear();
    r.quality.clear();
    updateRun(i, { step: 0, latestQuality: null, snapshot: null });
    try {
      await c.reset();
    } catch (err) {
      updateRun(i, { error: message(err) });
    }
  }));
}

export function openCompare(presetId = useCompare.getState().presetId): void {
  const image = useConfig.getState().config.dataset === 'mnist';
  const preset = presetById(presetId) ?? presetById('solver')!;
  const usable = preset.imagesOnly && !image ? presetById('solver')! : preset;
  useCompare.setState({ open: true });
  if (useRun.getState().training) void session().pause();
  void setupComparison(usable.id, usable.runs);
}

export async function closeCompare(): Promise<void> {
  await stopNow();
  generation++;
  disposeClients();
  useCompare.setState({ open: false, runs: [], training: false, busy: false });
  writeUrl();
}

function withComparison(link: string): string {
  const { presetId, runs } = useCompare.getState();
  const url = new URL(link);
  for (const [k, v] of Object.entries(encodeCompare(presetId, runs.map((r) => r.spec)))) url.searchParams.set(k, v);
  if (!url.searchParams.has('v')) url.searchParams.set('v', URL_VERSION);
  return url.toString();
}

/** The link of the page's settings plus this comparison. */
export const compareLink = () => withComparison(shareUrl());

/** Keeps the comparison in the address bar while it is open (the settings sync keeps page parameters). */
function writeUrl(): void {
  const base = withPageParams(shareUrl(), stripCompare(location.search));
  history.replaceState(null, '', useCompare.getState().open ? withComparison(base) : base);
}

function stripCompare(search: string): string {
  const p = new URLSearchParams(search);
  COMPARE_URL_KEYS.forEach((k) => p.delete(k));
  return p.toString();
}

/** A shared link with a comparison opens it once the page's run is set up. */
export function openCompareFromUrl(search = location.search): void {
  const decoded = decodeCompare(new URLSearchParams(search));
  if (!decoded) return;
  if ('error' in decoded) {
    notify({ kind: 'warning', topic: 'url', title: 'The comparison in this link was not opened', lines: [decoded.error] });
    return;
  }
  useCompare.setState({ open: true });
  void setupComparison(decoded.presetId, decoded.runs);
}
