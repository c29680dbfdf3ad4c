// The worker's shared state and its one way out (postMessage). Every part of the worker reads and
// writes the run through `w`, so the files stay one job each without passing a dozen arguments.
/// <reference lib="webworker" />
import type { Config } from '../core/config';
import { SessionError, type TrainingSession } from '../core/run/session';
import type { ProbeSet } from '../core/run/views';
import type { Trajectories } from '../core/teacher/trajectories';
import type { BackendResult } from './backend';
import { LpipsWorkerState, cacheStorageBytes } from './lpips';
import type { BackendChoice, Phase, StopRules, ViewRequest, WorkerEvent } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
export const post = (e: WorkerEvent, transfer: Transferable[] = []) => scope.postMessage(e, transfer);

export const DEFAULT_VIEW: ViewRequest = {
  probeCount: 1000, trajectoryCount: 12, consistencyTimes: [80, 10, 2, 0.5, 0.1], cursorT: 1, weights: 'ema', snapshotIntervalMs: 100,
};

export const w = {
  backendChoice: 'auto' as BackendChoice,
  /** At most this many WASM threads (compare mode shares the cores among its workers); null: all wanted. */
  wasmThreadLimit: null as number | null,
  backend: null as BackendResult | null,
  config: null as Config | null,
  points: undefined as Float64Array | undefined,
  session: null as TrainingSession | null,
  probes: null as ProbeSet | null,
  trajectories: null as Trajectories | null,
  view: DEFAULT_VIEW,
  running: false,
  loop: null as Promise<void> | null,
  snapshotVersion: 0,
  lastCheckpointBytes: null as Uint8Array | null,
  /** The session whose shaders are compiled on the current backend (no warm-up step needed). */
  warmedSession: null as TrainingSession | null,
  /** Counts pauses, so a Start queued before a Pause does not start afterwards. */
  pauseEpoch: 0,
  /** Pause by itself at a step or a one-step SWD (stopRules.ts). */
  stopRules: { atStep: null, swdAtMost: null } as StopRules,
  /** The quality rule fires once; it re-arms when the rules change or the run is rebuilt or restored. */
  qualityRuleFired: false,
};

export const lpips = new LpipsWorkerState({
  post, fetch: (url, init) => fetch(url, init), cache: cacheStorageBytes(),
  canMeasure: () => w.backend !== null && !w.running, config: () => w.config,
});

export function status(phase: Phase, message: string): void {
  post({ type: 'status', phase, message });
}

export function requireSession(): TrainingSession {
  if (!w.session) throw new SessionError('invalid-config', 'no run is configured yet');
  return w.session;
}
