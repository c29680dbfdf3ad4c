// Steps to quality at the page's defaults: for moons and eight-gaussians, CD-Heun and CT, three seeds, the
// first evaluated step at which one-step SWD <= 1.5x the teacher ODE's SWD (Node WASM, the CLI's backend),
// and the training seconds it took. The headline section measures the same level in Chromium.
import { DEFAULTS, MODE_DEFAULTS_2D, withDatasetDefaults, type Config, type DatasetName } from '../../../src/core/config';
import { log } from '../lib/log';
import { useBackend } from '../lib/nodeBackend';
import { round } from '../lib/stats';
import { stepsToQuality } from '../lib/stepsToQuality';

export const QUALITY_FACTOR = 1.5;

export interface LearningRow {
  dataset: DatasetName;
  mode: 'CD-Heun' | 'CT';
  seed: number;
  /** First evaluated step at the level, null when not reached within the budget. */
  steps: number | null;
  trainSeconds: number;
  swdTeacher: number;
  finalSwd1: number;
}

export interface LearningResult {
  setup: { backend: string; budget: number; evalEvery: number; evalCount: number; factor: number; defaults: Partial<Config>; modeDefaults2d: typeof MODE_DEFAULTS_2D };
  rows: LearningRow[];
  /** Median steps over seeds per dataset and mode (a seed that never reached counts as the budget). */
  summary: { dataset: string; mode: string; medianSteps: number | null; reached: string; medianTrainSeconds: number }[];
}

const MODES: { mode: LearningRow['mode']; over: Partial<Config> }[] = [
  { mode: 'CD-Heun', over: { mode: 'cd', solver: 'heun' } },
  { mode: 'CT', over: { mode: 'ct' } },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : Number.NaN;
};

export async function learningSection(quick: boolean): Promise<LearningResult> {
  await useBackend('wasm');
  const datasets: DatasetName[] = quick ? ['moons'] : ['moons', 'eight-gaussians'];
  const seeds = quick ? [1] : [1, 2, 3];
  const budget = quick ? 800 : 1500;
  const evalEvery = 50;
  const evalCount = 2000; // the 1,000-sample estimate of the teacher's SWD varies 2x between seeds
  const rows: LearningRow[] = [];
  for (const dataset of datasets) {
    for (const { mode, over } of MODES) {
      for (const seed of seeds) {
        // What the page runs for this mode (e.g. CT's own N schedule), not the bare DEFAULTS object.
        const c: Config = withDatasetDefaults({ ...DEFAULTS, dataset, seed, ...over }, new Set(['dataset', 'seed', ...Object.keys(over)]));
        const r = await stepsToQuality(c, { budget, evalEvery, evalCount, factor: QUALITY_FACTOR });
        const last = r.curve[r.curve.length - 1];
        rows.push({ dataset, mode, seed, steps: r.steps, trainSeconds: round(r.trainSeconds, 2), swdTeacher: round(r.swdTeacher, 4), finalSwd1: round(last?.swd1 ?? Number.NaN, 4) });
        log(`learning ${dataset} ${mode} seed ${seed}: ${r.steps === null ? `not within ${budget} steps (last one-step SWD ${last?.swd1.toFixed(4)})` : `${r.steps} steps, ${r.trainSeconds.toFixed(1)} s`} (teacher ${r.swdTeacher.toFixed(4)})`);
      }
    }
  }
  const summary = datasets.flatMap((dataset) => MODES.map(({ mode }) => {
    const mine = rows.filter((r) => r.dataset === dataset && r.mode === mode);
    const reached = mine.filter((r) => r.steps !== null);
    return {
      dataset, mode,
      medianSteps: reached.length * 2 > mine.length ? median(mine.map((r) => r.steps ?? budget)) : null,
      reached: `${reached.length}/${mine.length}`,
      medianTrainSeconds: round(median(mine.map((r) => r.trainSeconds)), 2),
    };
  }));
  const d = DEFAULTS;
  return {
    setup: { backend: 'node wasm', budget, evalEvery, evalCount, factor: QUALITY_FACTOR,
      defaults: { lr: d.lr, warmupSteps: d.warmupSteps, lrDecay: d.lrDecay, batchSize: d.batchSize, width: d.width, depth: d.depth, N: d.N, mu: d.mu, evalEma: d.evalEma, nSchedule: d.nSchedule },
      modeDefaults2d: MODE_DEFAULTS_2D }, // the shared defaults, and what each mode sets over them on 2D data
    rows, summary,
  };
}
