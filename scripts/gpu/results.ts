// The real-GPU measurement's JSON (measure.ts writes it; test/bench/lib/realGpu.ts reads committed ones).
import type { AdapterSummary } from './dawn';
import type { MeasureArgs } from './measureArgs';
import type { StepTiming } from './stepTiming';

export const SCHEMA = 'cm-playground/realgpu@1';
/** The goals on a real GPU. */
export const GOALS = { ctStepsPerSecond: 500, unetStepsPerSecond: 20 };

export interface Row extends Partial<StepTiming> {
  name: string;
  model: string;
  mode: 'CT' | 'CD-Heun';
  path: 'fused' | 'plain-op';
  batch: number;
  status: 'ok' | 'error' | 'skipped';
  error?: string;
}

export interface RealGpuResult {
  schema: string;
  date: string;
  ok: boolean;
  backend: string;
  gpuName: string | null;
  adapter: AdapterSummary | null;
  timestampQuery: boolean;
  runtime: { node: string; platform: string; dawnOptions: string[] | null };
  args: MeasureArgs;
  rows: Row[];
  /** Filled only from a real GPU (not a fallback adapter) at the default sizes; null otherwise. */
  goals: { realGpuCtStepsPerSecond: number | null; realGpuUnetStepsPerSecond: number | null; targets: typeof GOALS };
  errors: string[];
  seconds: number;
}

/** realgpu-<gpu>.json, named by the machine's GPU name (nvidia-smi), else the adapter's, else the backend. */
export function resultFileName(r: Pick<RealGpuResult, 'gpuName' | 'adapter' | 'backend'>): string {
  const a = r.adapter;
  const name = r.gpuName ?? (a ? [a.vendor, a.device || a.architecture || a.description].filter(Boolean).join(' ') : '');
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  return `realgpu-${slug || r.backend}.json`;
}
