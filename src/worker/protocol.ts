// The message protocol between the page and the training worker. Type-only: imported by both sides,
// pulls in nothing at run time. Everything that crosses is plain data; large arrays are transferable
// Float32Arrays. Commands carry an id; the worker answers each with exactly one `reply` (ok or error).
import type { Config } from '../core/config';
import type { PretrainedRole } from '../core/run/pretrained';
import type { Snapshot } from '../core/run/views';
import type { QualityReport } from '../core/run/session';
import type { LpipsNet, LpipsPart, WeightSource } from '../core/lpips/index';
import type { StepAnatomy } from '../core/cm/stepAnatomy';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';

/** What the page wants to see in snapshots; changing it never touches training. */
export interface ViewRequest {
  /** Number of probe points (fixed noise) for one-step and multistep samples. */
  probeCount: number;
  /** Number of teacher PF-ODE trajectories to draw. */
  trajectoryCount: number;
  /** Times along each trajectory at which f(x_t, t) is shown (the consistency view). */
  consistencyTimes: number[];
  /** Time cursor of the scrubber: the noised distribution p_t and where f maps it. */
  cursorT: number;
  /** Sample from the evaluation EMA or the raw online weights. */
  weights: 'ema' | 'online';
  /** Snapshots at most this often while training (ms). */
  snapshotIntervalMs: number;
}

export type Command =
  /** `wasmThreads`: at most this many WASM threads (several workers training at once share the cores). */
  | { type: 'init'; id: number; backend: BackendChoice; wasmThreads?: number }
  /** `snapshot: false`: no first snapshot (the page loads a pretrained model next, which sends one). */
  | { type: 'configure'; id: number; config: Config; points?: Float64Array; snapshot?: boolean }
  | { type: 'start'; id: number }
  | { type: 'pause'; id: number }
  | { type: 'step'; id: number; count: number }
  | { type: 'reset'; id: number }
  | { type: 'setView'; id: number; view: ViewRequest }
  | { type: 'snapshot'; id: number }
  /** `withNextDraws`: the bundle for another trainer ("Export run"), with the next step's draws. */
  | { type: 'exportWeights'; id: number; withNextDraws?: boolean }
  | { type: 'importWeights'; id: number; bytes: ArrayBuffer }
  | { type: 'restore'; id: number; checkpoint: ArrayBuffer }
  | { type: 'setBackend'; id: number; backend: BackendChoice }
  /** Background work after a configure, queued like any command (so Start waits for it): for `auto`, choose the
   * backend by timing a step of this model (or take `remembered[key]`); on GPU backends, compile the shaders. */
  | { type: 'prepare'; id: number; remembered?: Record<string, BackendName>; remeasure?: boolean }
  /** MNIST: load the shipped pretrained CD, CT or ECT model (instant one-step digits). */
  | { type: 'loadPretrained'; id: number; role: PretrainedRole }
  /** Zero-shot editing (Algorithm 4) with the current model; pauses training first. Answered with `edit`. */
  | { type: 'edit'; id: number; request: EditRequest }
  /** Stops the running edit before its next network evaluation (answered at once; the edit fails with 'aborted'). */
  | { type: 'abortEdit'; id: number }
  /** LPIPS weights: files the user picked or dropped (recognised by content), for backbone `net`. */
  | { type: 'lpipsWeights'; id: number; net: LpipsNet; files: ArrayBuffer[]; names: string[] }
  /** Download the missing LPIPS parts for `net` from the pinned sources (or `sources`, a test hook). */
  | { type: 'lpipsDownload'; id: number; net: LpipsNet; sources?: LpipsSourceOverride }
  /** Load whatever verified LPIPS files the cache holds (no network), then report the status of `net`. */
  | { type: 'lpipsRestore'; id: number; net: LpipsNet; sources?: LpipsSourceOverride }
  /** Anatomy of a step: the next training step taken apart for its first `rows` rows (`picked`: data points,
   * normalised, put into those rows). The run is unchanged unless `apply`. Pauses training. Answered with `anatomy`. */
  | { type: 'anatomy'; id: number; rows: number; picked?: Float32Array; apply?: boolean }
  /** Evaluate the current weights now (a quality event; in 2D with the flow-map view), e.g. at step 0 or after a
   * loaded run. Training stops for it and goes on afterwards if it was running. */
  | { type: 'evaluate'; id: number }
  /** Pause by itself at a step, or once the one-step SWD is at most a threshold (checked at each evaluation). */
  | { type: 'setStopRules'; id: number; rules: StopRules }
  /** Test hooks: make the worker crash, destroy the WebGPU device, or (development builds only) make the next
   * update diverge, to exercise recovery. */
  | { type: 'debug'; id: number; action: 'crash' | 'lose-device' | 'diverge' };

/** Conditions under which training pauses by itself; null: that rule is off. */
export interface StopRules {
  atStep: number | null;
  swdAtMost: number | null;
}

/** Training paused because a stop rule was met. */
export interface StoppedEvent {
  type: 'stopped';
  step: number;
  rule: 'step' | 'quality';
  message: string;
}

/** Replaces the pinned download sources of some parts (browser tests serve synthetic files this way). */
export type LpipsSourceOverride = Partial<Record<LpipsPart, WeightSource[]>>;

export type CommandType = Command['type'];
/** A command without its id, as callers of the client write it. */
export type CommandBody = Command extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export type Phase = 'idle' | 'loading' | 'warming-up' | 'teacher' | 'training' | 'paused' | 'done' | 'failed';

export interface ReadyEvent {
  type: 'ready';
  backend: BackendName;
  /** Adapter description where the backend exposes one (WebGPU). */
  adapter: string | null;
  /** Why a backend earlier in the preference list was not used; empty when the first choice worked. */
  fallbackReasons: string[];
  warmupMs: number;
}

/** Why `auto` chose its backend; `key` names this browser's adapters and the model kind, for remembering. */
export interface BackendChoiceEvent {
  type: 'backendChoice';
  key: string;
  backend: BackendName;
  /** e.g. "WASM 68 ms/step; WebGPU (software adapter) skipped". */
  summary: string;
  /** Steps were timed now (a remembered or only-candidate choice is not). */
  measured: boolean;
}

export interface StatusEvent {
  type: 'status';
  phase: Phase;
  message: string;
}

/** New training progress since the last progress event (never the whole history). */
export interface ProgressEvent {
  type: 'progress';
  /** Steps done by the consistency model (the "Step count"). */
  step: number;
  /** Teacher steps done (learned teacher only). */
  teacherStep: number;
  phase: 'teacher' | 'student';
  /** Step number of each new loss value, and the values. */
  lossSteps: Float64Array;
  losses: Float32Array;
  N: number;
  mu: number;
  lr: number;
  stepsPerSecond: number;
  msPerStep: number;
  /** webgpu only: what the last step asked of the GPU (absent on other backends). */
  gpu?: GpuStepReadout;
}

export interface GpuStepReadout {
  /** Compute dispatches of the last training step (exact count). */
  dispatchesPerStep: number;
  /** GPU time of a recently timed step (timestamp queries); null when not measured. */
  gpuMsPerStep: number | null;
  /** Why there is no GPU time (null when timestamp queries are available). */
  gpuTimeNote: string | null;
}

/** Sample quality at a step (the core's report: SWD and energy distance for 2D, classifier scores for digits). */
export interface QualityEvent extends QualityReport {
  type: 'quality';
}

/** Things that change only when the run is (re)configured: sent once. */
export interface StaticEvent {
  type: 'static';
  dataShape: number[];
  /** A sample of the data (normalised units), row-major. */
  data: Float32Array;
  /** Teacher PF-ODE trajectories: times descending, states[timeIndex] row-major [count, ...dataShape]. */
  trajectoryTimes: Float64Array;
  trajectoryStates: Float32Array[];
  /** The run's grid of times for the current N (ascending). */
  sigmas: Float64Array;
  /** Map back to the data's own coordinates (2D): x = xNorm / scale + shift. */
  normalisation: { shift: number[]; scale: number } | null;
}

/** What the model does now, from the fixed probe noise (throttled to the display rate); fields in views.ts. */
export interface SnapshotEvent extends Snapshot {
  type: 'snapshot';
  version: number;
  step: number;
  taus: number[];
}

/** Editing tasks: MNIST ones use a reference digit or a drawing; 2D ones a constraint on the samples. */
export type EditTask = 'reference' | 'inpaint' | 'superres' | 'denoise' | 'interpolate' | 'stroke' | 'fix2d' | 'line2d';

/** A 2D constraint in the model's normalised coordinates (the page's canvases): keep x (or y), or n . p. */
export type EditConstraint2d = { kind: 'fix'; axis: 0 | 1; value: number } | { kind: 'line'; angle: number; value: number };

export interface EditRequest {
  /** 'reference' only returns the reference digit (no model call), to show it before editing. */
  task: EditTask;
  /** MNIST reference: position in the held-out split (wraps around). */
  digit?: number;
  /** stroke: the drawing, HWC in [-1, 1]. */
  image?: Float32Array;
  /** inpaint: one value per pixel, 1 (>= 0.5) = regenerate. */
  mask?: Uint8Array | Float32Array;
  /** superres: block size p. */
  factor?: number;
  /** denoise: the known noise level. */
  sigma?: number;
  /** One completion per seed; interpolate: the two endpoint seeds. */
  seeds: number[];
  /** All times t_1 > t_2 > ...; or t1 (default T) and steps for a Karras grid down to eps. */
  times?: number[];
  t1?: number;
  steps?: number;
  /** interpolate: number of points on the slerp path. */
  count?: number;
  constraint?: EditConstraint2d;
  weights?: 'ema' | 'online';
}

export interface EditReply {
  task: EditTask;
  dataShape: number[];
  /** Samples per array below. */
  batch: number;
  /** MNIST: the reference digit y (one image), its asset index and label; null for 2D and drawings. */
  reference: Float32Array | null;
  digit: { index: number; label: number; position: number } | null;
  /** Where the steps start: y0 per sample (inpaint, superres), the drawing, the noisy digits (denoise),
   * the slerped latents (interpolate). */
  start: Float32Array;
  /** The projected iterates, one array per time; the last one is the result. */
  iterates: Float32Array[];
  times: number[];
  result: Float32Array;
  /** interpolate: the alphas along the path. */
  alphas?: number[];
  ms: number;
}

export interface ReplyEvent {
  type: 'reply';
  id: number;
  ok: boolean;
  /** Present on failure. */
  error?: { code: ErrorCode; message: string };
  /** exportWeights: the weights file; other commands: nothing. */
  bytes?: ArrayBuffer;
  /** edit: the iterates and results. */
  edit?: EditReply;
  /** anatomy: the step taken apart. */
  anatomy?: AnatomyReply;
}

/** One training step taken apart (core/cm/stepAnatomy.ts); plain data. */
export type AnatomyReply = StepAnatomy;

export type ErrorCode =
  | 'invalid-config'
  | 'invalid-edit'
  | 'aborted'
  | 'invalid-weights'
  | 'nan-loss'
  | 'backend-failed'
  | 'device-lost'
  | 'out-of-memory'
  | 'not-configured'
  | 'internal';

/** Unsolicited failures (during training). recoverable: the run was kept and can go on. */
export interface ErrorEvent {
  type: 'error';
  code: ErrorCode;
  message: string;
  recoverable: boolean;
}

/** Periodic checkpoint, kept by the client to restore a crashed worker. */
export interface CheckpointEvent {
  type: 'checkpoint';
  step: number;
  bytes: ArrayBuffer;
}

/** One LPIPS weight file the worker holds (or just rejected). */
export interface LpipsFileInfo {
  name: string;
  origin: 'download' | 'cache' | 'file';
  format: string;
  net: LpipsNet | null;
  provides: LpipsPart[];
  /** SHA-256 matched a pinned source or a known file. */
  verified: boolean;
  knownAs?: string;
}

/** LPIPS cost per training step: d and its gradient on one batch, next to l2 on the same batch. */
export interface LpipsCost {
  net: LpipsNet;
  resolution: number;
  batch: number;
  backend: string;
  lpipsMs: number;
  l2Ms: number;
}

export interface LpipsStatusEvent {
  type: 'lpipsStatus';
  /** The backbone this status is about. */
  net: LpipsNet;
  loaded: LpipsPart[];
  missing: LpipsPart[];
  /** e.g. "lin loaded (squeeze); backbone still needed". */
  summary: string;
  verified: boolean;
  /** Backbones whose lin layers and backbone are both present. */
  readyNets: LpipsNet[];
  /** Files in use for `net`. */
  files: LpipsFileInfo[];
  /** What went wrong with the latest input (rejected files, failed sources), each with the next option. */
  problems: string[];
  /** Whether verified downloads can be kept for offline visits (Cache Storage exists). */
  cacheAvailable: boolean;
  cost: LpipsCost | null;
}

export interface LpipsProgressEvent {
  type: 'lpipsProgress';
  part: LpipsPart;
  url: string;
  received: number;
  total: number | null;
}

export type WorkerEvent =
  | LpipsStatusEvent
  | LpipsProgressEvent
  | ReadyEvent
  | BackendChoiceEvent
  | StatusEvent
  | ProgressEvent
  | QualityEvent
  | StaticEvent
  | SnapshotEvent
  | ReplyEvent
  | ErrorEvent
  | CheckpointEvent
  | StoppedEvent;

export type WorkerEventType = WorkerEvent['type'];
