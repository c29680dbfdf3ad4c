// The method comparison (issue 13 part 4): every method of the mode axis at its defaults on moons and
// eight-gaussians (Node WASM, the CLI's backend), with the same evaluation noise and data per seed: the first
// evaluated step at which the one-step and the two-step SWD reach 1.5x the teacher ODE's SWD (the exact
// teacher's PF-ODE samples from the same noise), the flow-map error against the exact ODE map at the end,
// and the median milliseconds per training step. Full: 3 seeds; --quick: 1 seed and a small budget (600 steps).
import { DEFAULTS, withDatasetDefaults, type Config, type DatasetName } from '../../../src/core/config';
import { METHOD_INFO, type MethodId } from '../../../src/core/methods/settings/index';
import { TrainingSession } from '../../../src/core/run/session';
import { log } from '../lib/log';
import { settle, useBackend } from '../lib/nodeBackend';
import { round } from '../lib/stats';

export const METHODS_FACTOR = 1.5;
const ORDER: MethodId[] = ['cd', 'ct', 'ect', 'scd', 'sct', 'meanflow', 'shortcut', 'flow'];

export interface MethodRow {
  dataset: DatasetName;
  method: MethodId;
  seed: number;
  /** First evaluated step with one-step (two-step) SWD <= factor x teacher, null if not within the budget. */
  steps1: number | null;
  steps2: number | null;
  swdTeacher: number;
  finalSwd1: number;
  finalSwd2: number;
  /** Flow-map error at the end: the one-step map from T, and the mean over the method's cells. */
  fme1: number | null;
  fmeMean: number | null;
  msPerStep: number;
}

export interface MethodsResult {
  setup: { backend: string; budget: number; evalEvery: number; evalCount: number; factor: number; seeds: number[]; datasets: string[]; note: string };
  rows: MethodRow[];
  /** Per dataset and method: medians over seeds (a seed that never reached counts as the budget; null when most did not). */
  summary: { dataset: string; method: string; steps1: number | null; steps2: number | null; reached1: string; reached2: string; fme1: number | null; msPerStep: number }[];
  skipped: string[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : Number.NaN;
};

/** Methods to run: all that are built, or the comma list in CM_BENCH_METHODS (to split a run). */
function methodsToRun(): { run: MethodId[]; skipped: string[] } {
  const only = process.env.CM_BENCH_METHODS?.split(',').filter(Boolean) as MethodId[] | undefined;
  const wanted = only ?? ORDER;
  const unknown = wanted.filter((m) => !ORDER.includes(m));
  if (unknown.length) throw new Error(`CM_BENCH_METHODS: unknown method(s) ${unknown.join(', ')} (methods: ${ORDER.join(', ')})`);
  const run = wanted.filter((m) => METHOD_INFO[m].available);
  return { run, skipped: wanted.filter((m) => !METHOD_INFO[m].available).map((m) => `${m}: not available yet`) };
}

async function oneRun(c: Config, budget: number, evalEvery: number, evalCount: number): Promise<Omit<MethodRow, 'dataset' | 'method' | 'seed'>> {
  const session = new TrainingSession(c, {}, evalCount);
  try {
    // A learned teacher would train first; the 2D table uses the exact teacher, so the student starts at once.
    const ms: number[] = [];
    let steps1: number | null = null;
    let steps2: number | null = null;
    let last = { swd1: Number.NaN, swd2: Number.NaN, swdTeacher: Number.NaN, fme1: null as number | null, fmeMean: null as number | null };
    for (let k = 1; k <= budget; k++) {
      const t0 = performance.now();
      await settle((await session.trainStep()).loss);
      ms.push(performance.now() - t0);
      if (k % evalEvery !== 0 && k !== budget) continue;
      const q = await session.evaluate();
      const level = METHODS_FACTOR * q.swdTeacher!;
      if (steps1 === null && q.swd1 <= level) steps1 = k;
      if (steps2 === null && q.swd2 <= level) steps2 = k;
      last = { swd1: q.swd1, swd2: q.swd2, swdTeacher: q.swdTeacher!, fme1: q.fme1 ?? null, fmeMean: q.fmeMean ?? null };
    }
    return {
      steps1, steps2, swdTeacher: round(last.swdTeacher, 4), finalSwd1: round(last.swd1, 4), finalSwd2: round(last.swd2, 4),
      fme1: last.fme1 === null ? null : round(last.fme1, 4), fmeMean: last.fmeMean === null ? null : round(last.fmeMean, 4),
      msPerStep: round(median(ms), 1),
    };
  } finally {
    session.dispose();
  }
}

export async function methodsSection(quick: boolean): Promise<MethodsResult> {
  await useBackend('wasm');
  const datasets: DatasetName[] = quick ? ['moons'] : ['moons', 'eight-gaussians'];
  const seeds = quick ? [1] : [1, 2, 3];
  const budget = Number(process.env.CM_BENCH_METHODS_BUDGET ?? (quick ? 600 : 1500));
  const evalEvery = quick ? 50 : 100;
  const evalCount = quick ? 1000 : 2000;
  const { run, skipped } = methodsToRun();
  const rows: MethodRow[] = [];
  for (const dataset of datasets) {
    for (const method of run) {
      for (const seed of seeds) {
        // The page's defaults for the mode, dataset defaults included (ECT's 2D learning rate): without them
        // the table's ECT ran at the shared lr 5e-3 (one-step SWD 0.37 on moons) instead of its own.
        const set: Partial<Config> = { dataset, seed, mode: method, teacher: 'exact', steps: budget };
        const c: Config = withDatasetDefaults({ ...DEFAULTS, ...set }, new Set(Object.keys(set)));
        const r = await oneRun(c, budget, evalEvery, evalCount);
        rows.push({ dataset, method, seed, ...r });
        log(`methods ${dataset} ${method} seed ${seed}: one-step ${r.steps1 ?? `not within ${budget}`} / two-step ${r.steps2 ?? `not within ${budget}`} steps; `
          + `final SWD ${r.finalSwd1} / ${r.finalSwd2} (teacher ${r.swdTeacher}), FME ${r.fme1}, ${r.msPerStep} ms/step`);
      }
    }
  }
  const summary = datasets.flatMap((dataset) => run.map((method) => {
    const mine = rows.filter((r) => r.dataset === dataset && r.method === method);
    const stepsOf = (key: 'steps1' | 'steps2') => {
      const reached = mine.filter((r) => r[key] !== null).length;
      return { value: reached * 2 > mine.length ? median(mine.map((r) => r[key] ?? budget)) : null, reached: `${reached}/${mine.length}` };
    };
    const s1 = stepsOf('steps1');
    const s2 = stepsOf('steps2');
    const fmes = mine.map((r) => r.fme1).filter((v): v is number => v !== null);
    return {
      dataset, method, steps1: s1.value, steps2: s2.value, reached1: s1.reached, reached2: s2.reached,
      fme1: fmes.length ? round(median(fmes), 4) : null, msPerStep: round(median(mine.map((r) => r.msPerStep)), 1),
    };
  }));
  return {
    setup: {
      backend: 'node wasm', budget, evalEvery, evalCount, factor: METHODS_FACTOR, seeds, datasets,
      note: 'Every method at the page defaults for its mode (exact 2D teacher where one is used). Steps are the first evaluated step at the level; FME is the one-step flow-map error at the end of the budget (RMS over sigma_d; the FM family starts from pure noise).',
    },
    rows, summary, skipped,
  };
}

/** The markdown table of a methods result (for results/*.md). */
export function methodsTable(r: MethodsResult): string {
  const fmt = (v: number | null, reached: string) => (v === null ? `not within ${r.setup.budget} (${reached})` : `${v} (${reached})`);
  const lines = [
    `Budget ${r.setup.budget} steps, evaluation every ${r.setup.evalEvery} steps with ${r.setup.evalCount} samples, seeds ${r.setup.seeds.join(', ')}, ${r.setup.backend}; level = ${r.setup.factor}x the teacher ODE's SWD.`,
    '',
    '| dataset | method | steps to one-step level | steps to two-step level | one-step FME (end) | ms per step |',
    '|---|---|---|---|---|---|',
    ...r.summary.map((s) => `| ${s.dataset} | ${METHOD_INFO[s.method as MethodId].label} | ${fmt(s.steps1, s.reached1)} | ${fmt(s.steps2, s.reached2)} | ${s.fme1 ?? '-'} | ${s.msPerStep} |`),
  ];
  if (r.skipped.length) lines.push('', `Skipped: ${r.skipped.join('; ')}.`);
  return lines.join('\n');
}
