// What the page shows, independent of training: layers, the time cursor, the theme and what the worker
// should put in snapshots. None of it touches the run.
import { create } from 'zustand';
import type { ViewRequest } from '../worker/protocol';

export type ThemeChoice = 'auto' | 'light' | 'dark';
export type LayerName = 'data' | 'oneStep' | 'multistep' | 'trajectories' | 'arrows' | 'pt' | 'mapped';

export interface ViewState {
  layers: Record<LayerName, boolean>;
  theme: ThemeChoice;
  /** Resolved theme (auto follows prefers-color-scheme). */
  dark: boolean;
  cursorT: number;
  probeCount: number;
  trajectoryCount: number;
  consistencyTimes: number[];
  /** Images: digits per grid (each costs U-Net calls), and whether the user or a link chose the count. */
  imageProbeCount: number;
  imageProbeCountChosen: boolean;
  weights: 'ema' | 'online';
  snapshotIntervalMs: number;
  setLayer: (layer: LayerName, on: boolean) => void;
  setTheme: (theme: ThemeChoice) => void;
  setDark: (dark: boolean) => void;
  setCursorT: (t: number) => void;
  setView: (patch: Partial<Pick<ViewState, 'probeCount' | 'trajectoryCount' | 'consistencyTimes' | 'weights' | 'imageProbeCount' | 'imageProbeCountChosen'>>) => void;
}

export const VIEW_DEFAULTS = {
  probeCount: 512,
  trajectoryCount: 12,
  consistencyTimes: [2, 1, 0.5, 0.2, 0.05],
  // The N = 18 grid time nearest 0.5 (and the default tau): a CD run is trained there (core/cm/trainingGrid.ts).
  cursorT: 0.5853,
  imageProbeCount: 36,
};

/** Images: fewer digits where there is no GPU (a U-Net call per digit takes about a second there). */
export const IMAGE_PROBES_SOFTWARE = 9;
/** Images: frames of the trajectory strip, from x_T to nearly clean (nearest points of the 18-point grid). */
export const IMAGE_CONSISTENCY_TIMES = [80, 28, 9, 3.5, 1.3, 0.4, 0.1, 0.015];
/** The worker draws at most this many teacher trajectories for images. */
export const IMAGE_TRAJECTORIES = 2;

/** View settings that may ride along in a shared link (keys prefixed with "_" never clash with config keys). */
export const VIEW_URL_KEYS = { probeCount: '_p', trajectoryCount: '_tr', imageProbeCount: '_ip' } as const;
export const VIEW_LIMITS = { probeCount: [16, 4096], trajectoryCount: [0, 64], imageProbeCount: [1, 64] } as const;

export function parseViewInt(raw: string | undefined, [lo, hi]: readonly [number, number]): number | null {
  if (raw === undefined) return null;
  const v = Number(raw);
  return Number.isInteger(v) && v >= lo && v <= hi ? v : null;
}

export const useView = create<ViewState>((set) => ({
  layers: { data: true, oneStep: true, multistep: true, trajectories: true, arrows: true, pt: true, mapped: true },
  theme: 'auto',
  dark: false,
  cursorT: VIEW_DEFAULTS.cursorT,
  probeCount: VIEW_DEFAULTS.probeCount,
  trajectoryCount: VIEW_DEFAULTS.trajectoryCount,
  consistencyTimes: VIEW_DEFAULTS.consistencyTimes,
  imageProbeCount: VIEW_DEFAULTS.imageProbeCount,
  imageProbeCountChosen: false,
  weights: 'ema',
  snapshotIntervalMs: 100,
  setLayer: (layer, on) => set((s) => ({ layers: { ...s.layers, [layer]: on } })),
  setTheme: (theme) => set({ theme }),
  setDark: (dark) => set({ dark }),
  setCursorT: (cursorT) => set({ cursorT }),
  // A count set here is the user's (or a link's) choice; the automatic software-rendering default is not.
  setView: (patch) => set(patch.imageProbeCount !== undefined ? { imageProbeCountChosen: true, ...patch } : patch),
}));

export function viewRequest(s: ViewState, image = false): ViewRequest {
  if (image) {
    return {
      probeCount: s.imageProbeCount,
      trajectoryCount: Math.min(s.trajectoryCount, IMAGE_TRAJECTORIES),
      consistencyTimes: IMAGE_CONSISTENCY_TIMES,
      cursorT: s.cursorT,
      weights: s.weights,
      snapshotIntervalMs: s.snapshotIntervalMs,
    };
  }
  return {
    probeCount: s.probeCount,
    trajectoryCount: s.trajectoryCount,
    consistencyTimes: s.consistencyTimes,
    cursorT: s.cursorT,
    weights: s.weights,
    snapshotIntervalMs: s.snapshotIntervalMs,
  };
}
