// Compare mode's state: the runs side by side (settings, curves, latest samples) and whether they train.
// Large arrays stay in the series and snapshots; `version` tells the canvases to redraw.
import { create } from 'zustand';
import type { Config } from '../../core/config';
import type { SnapshotEvent, StaticEvent } from '../../worker/protocol';
import { DecimatingSeries } from '../series';
import type { RunSpec } from './presets';

export interface CompareRun {
  label: string;
  spec: RunSpec;
  config: Config | null;
  /** What differs from the page's settings, in words. */
  diff: string;
  error: string | null;
  status: string;
  step: number;
  loss: DecimatingSeries;
  /** One-step or multistep SWD (2D), FD (digits), following the run's sampler. */
  quality: DecimatingSeries;
  latestQuality: number | null;
  /** The evaluation's floor (two data batches): the same for every run of one comparison. */
  floor: number | null;
  snapshot: SnapshotEvent | null;
  staticData: StaticEvent | null;
  msPerStep: number;
}

export interface CompareState {
  open: boolean;
  presetId: string;
  runs: CompareRun[];
  training: boolean;
  busy: boolean;
  version: number;
}

export const useCompare = create<CompareState>(() => ({ open: false, presetId: 'solver', runs: [], training: false, busy: false, version: 0 }));

export function newRun(label: string, spec: RunSpec): CompareRun {
  return {
    label, spec, config: null, diff: '', error: null, status: 'setting up', step: 0,
    loss: new DecimatingSeries(2048), quality: new DecimatingSeries(512), latestQuality: null, floor: null,
    snapshot: null, staticData: null, msPerStep: 0,
  };
}

/** Applies a change to one run and bumps the version (the series are mutated in place by the caller). */
export function updateRun(index: number, patch: Partial<CompareRun>): void {
  useCompare.setState((s) => ({
    runs: s.runs.map((r, i) => (i === index ? { ...r, ...patch } : r)),
    version: s.version + 1,
  }));
}

