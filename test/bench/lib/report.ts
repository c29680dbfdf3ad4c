// The shape of the bench report (the JSON printed to stdout and written to results/). Every number says
// where it ran (Node, Chromium's worker, PyTorch) and on which backend; what did not run says why.
import type { Timing } from './stats';

export type Where = 'node' | 'chromium-worker' | 'chromium-page' | 'pytorch';
export type Status = 'ok' | 'unsupported' | 'skipped' | 'timeout' | 'error';

/** One timed thing: a training step or a sampling call. */
export interface Measurement extends Partial<Timing> {
  what: 'train-step' | 'sample-1step' | 'sample-4step' | 'snapshot';
  where: Where;
  backend: string;
  /** e.g. "mlp 4x256", "unet", "unet-tiny". */
  model: string;
  /** CT, CD-Heun, CD-Euler; absent for sampling. */
  mode?: string;
  batch: number;
  warmup?: number;
  status: Status;
  /** Why it did not run, or what to keep in mind about the number. */
  note?: string;
  /** CPU threads the computation used, where known (PyTorch's, and WASM's XNNPACK pool): ratios pair equal counts. */
  threads?: number;
  /** Kernels launched per step (tf.profile), where measured. */
  kernels?: number;
  topKernels?: { name: string; count: number; ms: number }[];
}

export interface BenchReport {
  version: 1;
  date: string;
  quick: boolean;
  machine: import('./machine').MachineInfo;
  loadAverageAtEnd: number[];
  seconds: number;
  sections: Record<string, unknown>;
  measurements: Measurement[];
  headline: Record<string, unknown>;
  /** The goals as numbers (null where not measured). */
  goals: import('./goals').Goals;
}
