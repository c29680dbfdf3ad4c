// Quality against steps with fixed seeds: one-step and two-step sliced Wasserstein distance (normalised
// units) on two 2D datasets for CD-Euler, CD-Heun, CT with fixed N, CT with the paper's N(k) schedule and
// iCT, with the exact teacher's ODE samples as the reference line. Then the paper's orderings, checked.
import { DEFAULTS, ICT_PRESET, type Config, type DatasetName } from '../../../src/core/config';
import { TrainingSession } from '../../../src/core/run/session';
import { log } from '../lib/log';
import { settle, useBackend } from '../lib/nodeBackend';
import { mean, round } from '../lib/stats';

export const QUALITY_LEVEL = 0.1; // one-step SWD (normalised units, sigma_data = 0.5) counted as "reached"

export const VARIANTS: { id: string; label: string; over: Partial<Config> }[] = [
  { id: 'cd-euler', label: 'CD, Euler, N=18', over: { mode: 'cd', solver: 'euler', N: 18 } },
  { id: 'cd-heun', label: 'CD, Heun, N=18', over: { mode: 'cd', solver: 'heun', N: 18 } },
  { id: 'ct-fixed', label: `CT, fixed N=18, mu=${DEFAULTS.mu}`, over: { mode: 'ct', N: 18 } },
  { id: 'ct-adaptive', label: `CT, paper N(k), mu(k) over the budget (s0=${DEFAULTS.s0}, s1=${DEFAULTS.s1}, mu0=${DEFAULTS.mu0})`, over: { mode: 'ct', nSchedule: 'ct-adaptive' } },
  { id: 'ict', label: `iCT options (mu=0, pseudo-Huber, 1/gap, lognormal, doubling s0=${ICT_PRESET.s0}, s1=${ICT_PRESET.s1} over the budget)`, over: ICT_PRESET },
];

export interface Curve {
  dataset: string;
  variant: string;
  seed: number;
  steps: number[];
  swd1: number[];
  swd2: number[];
  loss: number[];
  swdTeacher: number | null;
  swdFloor: number;
  msPerStep: number;
}

export interface QualityResult {
  setup: { model: string; batch: number; steps: number; evalEvery: number; evalCount: number; seeds: number[]; datasets: string[]; backend: string; level: number; lateEvaluations: number };
  curves: Curve[];
  /** Mean over seeds, per dataset and variant. */
  summary: {
    dataset: string; variant: string; label: string;
    final1: number; final2: number; late1: number; late2: number;
    stepsToLevel1: number | null; stepsToLevel2: number | null; swdTeacher: number | null; swdFloor: number;
  }[];
  orderings: Ordering[];
}

export interface Ordering {
  dataset: string;
  claim: string;
  /** The statistic compared (lower is better) and its values. */
  better: { name: string; value: number };
  worse: { name: string; value: number };
  verdict: 'agrees' | 'disagrees' | 'inconclusive';
  note: string;
}

async function trainCurve(c: Config, steps: number, evalEvery: number, evalCount: number): Promise<Curve> {
  const s = new TrainingSession(c, {}, evalCount);
  const curve: Curve = { dataset: c.dataset, variant: '', seed: c.seed, steps: [], swd1: [], swd2: [], loss: [], swdTeacher: null, swdFloor: Number.NaN, msPerStep: 0 };
  let trainMs = 0;
  let lossSum = 0;
  let lossCount = 0;
  for (let k = 1; k <= steps; k++) {
    const t0 = performance.now();
    lossSum += await settle((await s.trainStep()).loss);
    trainMs += performance.now() - t0;
    lossCount++;
    if (k % evalEvery === 0) {
      const q = await s.evaluate();
      curve.steps.push(k);
      curve.swd1.push(round(q.swd1, 5));
      curve.swd2.push(round(q.swd2, 5));
      curve.loss.push(round(lossSum / lossCount, 7));
      lossSum = 0;
      lossCount = 0;
      curve.swdTeacher = q.swdTeacher;
      curve.swdFloor = q.swdFloor;
    }
  }
  curve.msPerStep = round(trainMs / steps, 2);
  s.dispose();
  return curve;
}

function firstBelow(steps: number[], values: number[], level: number): number | null {
  const i = values.findIndex((v) => v <= level);
  return i < 0 ? null : steps[i];
}

/** Average the seeds' curves point by point. */
function meanCurve(curves: Curve[]): { steps: number[]; swd1: number[]; swd2: number[] } {
  const steps = curves[0].steps;
  return {
    steps,
    swd1: steps.map((_, i) => mean(curves.map((c) => c.swd1[i]))),
    swd2: steps.map((_, i) => mean(curves.map((c) => c.swd2[i]))),
  };
}

function compare(dataset: string, claim: string, better: Ordering['better'], worse: Ordering['worse'], noise: number): Ordering {
  const diff = worse.value - better.value;
  const verdict = Math.abs(diff) < noise ? 'inconclusive' : diff > 0 ? 'agrees' : 'disagrees';
  return {
    dataset, claim, better, worse, verdict,
    note: `difference ${diff >= 0 ? '+' : ''}${diff.toFixed(4)}; differences under ${noise.toFixed(4)} (half the estimator floor) count as inconclusive`,
  };
}

export function orderingsFrom(summary: QualityResult['summary']): Ordering[] {
  const out: Ordering[] = [];
  const datasets = [...new Set(summary.map((s) => s.dataset))];
  for (const d of datasets) {
    const get = (v: string) => summary.find((s) => s.dataset === d && s.variant === v)!;
    const noise = get('cd-heun').swdFloor / 2;
    const late = (v: string, which: 1 | 2 = 1) => ({ name: `${v} ${which}-step`, value: which === 1 ? get(v).late1 : get(v).late2 });
    out.push(compare(d, 'CD: Heun beats Euler at equal N (one-step SWD)', late('cd-heun'), late('cd-euler'), noise));
    for (const v of ['cd-heun', 'ct-adaptive', 'ict']) {
      out.push(compare(d, `two-step beats one-step (${v})`, late(v, 2), late(v, 1), noise));
    }
    out.push(compare(d, 'CT: adaptive N(k) beats fixed small N (one-step SWD)', late('ct-adaptive'), late('ct-fixed'), noise));
    out.push(compare(d, 'CD beats CT at equal steps (CD-Heun vs CT with N(k))', late('cd-heun'), late('ct-adaptive'), noise));
    out.push(compare(d, 'CD beats CT at equal steps (CD-Heun vs CT with fixed N=18)', late('cd-heun'), late('ct-fixed'), noise));
  }
  return out;
}

export async function qualitySection(quick: boolean): Promise<QualityResult> {
  await useBackend('wasm');
  const datasets: DatasetName[] = quick ? ['moons'] : ['moons', 'eight-gaussians'];
  const seeds = quick ? [1] : [1, 2];
  const steps = quick ? 400 : 1500;
  const evalEvery = quick ? 100 : 150;
  const evalCount = quick ? 600 : 1000;
  const base: Config = { ...DEFAULTS, width: 64, depth: 3, batchSize: 128, steps, K: steps, evalEvery };
  const curves: Curve[] = [];
  const summary: QualityResult['summary'] = [];
  for (const dataset of datasets) {
    for (const v of VARIANTS) {
      const mine: Curve[] = [];
      for (const seed of seeds) {
        const c = { ...base, ...v.over, dataset, seed, steps, K: steps };
        const curve = await trainCurve(c, steps, evalEvery, evalCount);
        curve.variant = v.id;
        mine.push(curve);
        log(`quality ${dataset} ${v.id} seed ${seed}: swd1 ${curve.swd1.at(-1)} swd2 ${curve.swd2.at(-1)} (teacher ${curve.swdTeacher?.toFixed(4)}, floor ${curve.swdFloor.toFixed(4)}, ${curve.msPerStep} ms/step)`);
      }
      curves.push(...mine);
      const m = meanCurve(mine);
      const lateN = Math.max(1, Math.round(m.steps.length / 4)); // the last quarter of the evaluations
      summary.push({
        dataset, variant: v.id, label: v.label,
        final1: round(m.swd1.at(-1)!, 4), final2: round(m.swd2.at(-1)!, 4),
        late1: round(mean(m.swd1.slice(-lateN)), 4), late2: round(mean(m.swd2.slice(-lateN)), 4),
        stepsToLevel1: firstBelow(m.steps, m.swd1, QUALITY_LEVEL), stepsToLevel2: firstBelow(m.steps, m.swd2, QUALITY_LEVEL),
        swdTeacher: mine[0].swdTeacher === null ? null : round(mean(mine.map((c) => c.swdTeacher ?? Number.NaN)), 4), swdFloor: round(mean(mine.map((c) => c.swdFloor)), 4),
      });
    }
  }
  return {
    setup: {
      model: 'mlp 3x64 (SiLU)', batch: base.batchSize, steps, evalEvery, evalCount, seeds, datasets, backend: 'node wasm', level: QUALITY_LEVEL,
      lateEvaluations: Math.max(1, Math.round(steps / evalEvery / 4)),
    },
    curves, summary, orderings: orderingsFrom(summary),
  };
}
