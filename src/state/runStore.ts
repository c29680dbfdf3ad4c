// What the worker reports about the run. Large arrays (snapshot, static data, series) are kept as typed
// arrays and read by the render loop; React components subscribe only to the small scalars they show.
import { create } from 'zustand';
import type { PretrainedRole } from '../core/run/pretrained';
import type {
  BackendName, ErrorCode, GpuStepReadout, Phase, ProgressEvent, QualityEvent, SnapshotEvent, StaticEvent,
} from '../worker/protocol';
import { DecimatingSeries } from './series';

export interface QualitySeries {
  swd1: DecimatingSeries;
  swd2: DecimatingSeries;
  swdTeacher: DecimatingSeries;
  swdFloor: DecimatingSeries;
  /** Digits: Frechet distance in the classifier's features, one-step and two-step. */
  fd1: DecimatingSeries;
  fd2: DecimatingSeries;
}

export interface RunState {
  /** The worker's phase; 'idle' before the first configure. */
  phase: Phase;
  statusMessage: string;
  /** The user asked to train (the Train button reads "Pause" while this is set). */
  training: boolean;
  /** A configure is in flight: controls that need a built run wait. */
  configuring: boolean;
  configured: boolean;
  step: number;
  teacherStep: number;
  progressPhase: 'teacher' | 'student';
  N: number;
  mu: number;
  lr: number;
  stepsPerSecond: number;
  msPerStep: number;
  /** webgpu: dispatches and GPU time per step (null on other backends or before the first step). */
  gpuStep: GpuStepReadout | null;
  backend: BackendName | null;
  adapter: string | null;
  fallbackReasons: string[];
  /** auto: why this backend, e.g. "WASM 68 ms/step; WebGPU (software adapter) skipped"; null for a user's choice. */
  backendReason: string | null;
  warmupMs: number | null;
  lastError: { code: ErrorCode; message: string; recoverable: boolean } | null;
  /** Histories: mutated in place, `seriesVersion` tells subscribers something changed. */
  loss: DecimatingSeries;
  teacherLoss: DecimatingSeries;
  quality: QualitySeries;
  seriesVersion: number;
  latestQuality: QualityEvent | null;
  snapshot: SnapshotEvent | null;
  staticData: StaticEvent | null;
  /** MNIST: the shipped model the current weights started from (null: trained from scratch). */
  pretrainedRole: PretrainedRole | null;
  /** A command for the shipped models is in flight. */
  loadingPretrained: boolean;
}

const newQuality = (): QualitySeries => ({
  swd1: new DecimatingSeries(1024),
  swd2: new DecimatingSeries(1024),
  swdTeacher: new DecimatingSeries(1024),
  swdFloor: new DecimatingSeries(1024),
  fd1: new DecimatingSeries(1024),
  fd2: new DecimatingSeries(1024),
});

export const useRun = create<RunState>(() => ({
  phase: 'idle',
  statusMessage: 'Starting the training worker…',
  training: false,
  configuring: false,
  configured: false,
  step: 0,
  teacherStep: 0,
  progressPhase: 'student',
  N: 0,
  mu: 0,
  lr: 0,
  stepsPerSecond: 0,
  msPerStep: 0,
  gpuStep: null,
  backend: null,
  adapter: null,
  fallbackReasons: [],
  backendReason: null,
  warmupMs: null,
  lastError: null,
  loss: new DecimatingSeries(4096),
  teacherLoss: new DecimatingSeries(2048),
  quality: newQuality(),
  seriesVersion: 0,
  latestQuality: null,
  snapshot: null,
  staticData: null,
  pretrainedRole: null,
  loadingPretrained: false,
}));

/** Forget the run's history (after a configure or reset). */
export function clearRunHistory(): void {
  const s = useRun.getState();
  s.loss.clear();
  s.teacherLoss.clear();
  for (const series of Object.values(s.quality)) series.clear();
  useRun.setState({ step: 0, teacherStep: 0, latestQuality: null, seriesVersion: s.seriesVersion + 1, lastError: null, stepsPerSecond: 0, msPerStep: 0 });
}

export function applyProgress(e: ProgressEvent): void {
  const s = useRun.getState();
  const target = e.phase === 'teacher' ? s.teacherLoss : s.loss;
  // The run went back (restored after a non-finite loss, or a checkpoint loaded): the steps after it are undone.
  if (e.phase === 'student' && s.progressPhase === 'student' && e.step < s.step) {
    s.loss.truncateAfter(e.step);
    for (const series of Object.values(s.quality)) series.truncateAfter(e.step);
  }
  for (let i = 0; i < e.losses.length; i++) target.push(e.lossSteps[i], e.losses[i]);
  useRun.setState({
    step: e.step,
    teacherStep: e.teacherStep,
    progressPhase: e.phase,
    N: e.N,
    mu: e.mu,
    lr: e.lr,
    stepsPerSecond: e.stepsPerSecond,
    msPerStep: e.msPerStep,
    gpuStep: e.gpu ?? null,
    seriesVersion: s.seriesVersion + 1,
  });
}

export function applyQuality(e: QualityEvent): void {
  const s = useRun.getState();
  if (e.image) {
    s.quality.fd1.push(e.step, e.image.fd1);
    s.quality.fd2.push(e.step, e.image.fd2);
  } else {
    s.quality.swd1.push(e.step, e.swd1);
    s.quality.swd2.push(e.step, e.swd2);
    if (e.swdTeacher !== null) s.quality.swdTeacher.push(e.step, e.swdTeacher);
    s.quality.swdFloor.push(e.step, e.swdFloor);
  }
  useRun.setState({ latestQuality: e, seriesVersion: s.seriesVersion + 1 });
}

export const isBusyPhase = (p: Phase) => p === 'loading' || p === 'warming-up';

/** No GPU: the CPU backend, or WebGPU / WebGL on a software adapter (SwiftShader, llvmpipe). */
export function isSoftwareRendering(backend: BackendName | null, adapter: string | null): boolean {
  if (backend === 'cpu' || backend === 'wasm') return true;
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(adapter ?? '');
}
