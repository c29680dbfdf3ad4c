// ECT in 2D, instrumented (issue 13: why ECT learns slowly): one-step / two-step SWD over training, the mean
// loss and Delta t / t per stage, and how well the exact pre-fit matched D* (rms |f - D*| at several sigmas).
// One line of JSON per run. usage (Node WASM, as the CLI):
//   npx tsx test/bench/ectProbe.ts '<json overrides>' [--datasets=moons,eight-gaussians] [--seeds=1,2]
//        [--budget=600] [--every=100] [--eval-count=1000] [--mode=ect]
// Overrides count as set by the user: ECT's dataset defaults (its 2D learning rate) apply to the rest.
import * as tf from '@tensorflow/tfjs';
import { validateFields, withDatasetDefaults, type Config } from '../../src/core/config';
import { ectF, ectPrefitSteps, ectStage } from '../../src/core/methods/ect';
import type { MethodTrainer } from '../../src/core/methods/methodTrainer';
import { Rng } from '../../src/core/rng';
import { TrainingSession } from '../../src/core/run/session';
import { settle, useBackend } from './lib/nodeBackend';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const overrides = JSON.parse(args.find((a) => !a.startsWith('--')) ?? '{}') as Partial<Config>;
const budget = Number(flag('budget', '600'));
const every = Number(flag('every', '100'));
const evalCount = Number(flag('eval-count', '1000'));
const mode = flag('mode', 'ect');
const r4 = (v: number) => Math.round(v * 10000) / 10000;
const SIGMAS = [0.05, 0.5, 2, 10, 80];

/** rms |f(x, sigma) - D*(x, sigma)| over data + sigma noise, per sigma (ECT runs only). */
function prefitError(s: TrainingSession): number[] {
  const rng = new Rng(5, 'probe');
  const x0 = s.data.sample(512, rng);
  return SIGMAS.map((sigma) => tf.tidy(() => {
    const x = tf.tensor2d(Float32Array.from(x0, (v) => v + sigma * rng.normal()), [512, 2]);
    const t = new Float64Array(512).fill(sigma);
    const f = ectF(s.methodContext(), s.samplingParams('online'), x, t);
    return r4(tf.sqrt(tf.mean(tf.squaredDifference(f, s.exactTeacher!.denoise(x, t)))).dataSync()[0]);
  }));
}

await useBackend('wasm');
for (const dataset of flag('datasets', 'moons,eight-gaussians').split(',')) {
  for (const seed of flag('seeds', '1,2').split(',').map(Number)) {
    const input = { ...overrides, dataset, mode, seed, steps: budget, teacher: 'exact' } as Record<string, unknown>;
    const { config: parsed, errors } = validateFields(input);
    if (errors.length) throw new Error(errors.join('; '));
    const config = withDatasetDefaults(parsed, new Set(Object.keys(overrides)));
    const s = new TrainingSession(config, {}, evalCount);
    const pre = mode === 'ect' ? ectPrefitSteps(config, true) : 0;
    const curve: [number, number, number][] = [];
    const stageLoss = new Map<number, number[]>();
    const stageRatio = new Map<number, number[]>();
    let prefit: number[] | null = null;
    const t0 = performance.now();
    for (let k = 1; k <= budget; k++) {
      const loss = await settle((await s.trainStep()).loss);
      if (mode === 'ect') {
        const st = k - 1 < pre ? -1 : ectStage(config, k - 1, pre);
        if (!stageLoss.has(st)) stageLoss.set(st, []);
        stageLoss.get(st)!.push(loss);
        const d = (s.trainer as MethodTrainer).lastDraws as unknown as { t: Float64Array; r: Float64Array };
        const ratios = Array.from(d.t, (t, i) => (t - d.r[i]) / t).sort((a, b) => a - b);
        if (!stageRatio.has(st)) stageRatio.set(st, []);
        stageRatio.get(st)!.push(ratios[ratios.length >> 1]);
        if (k === pre) prefit = prefitError(s);
      }
      if (k % every === 0 || k === budget) {
        const q = await s.evaluate();
        curve.push([k, r4(q.swd1), r4(q.swd2)]);
      }
    }
    const mean = (xs: number[]) => r4(xs.reduce((a, b) => a + b, 0) / xs.length);
    console.log(JSON.stringify({
      dataset, seed, mode, overrides, lr: config.lr, lrDecay: config.lrDecay, warmup: config.warmupSteps, nSchedule: config.nSchedule, ectQ: config.ectQ, seconds: Math.round((performance.now() - t0) / 1000),
      end: curve.at(-1), curve, prefitRms: prefit, prefitSigmas: prefit ? SIGMAS : undefined,
      stageLoss: Object.fromEntries([...stageLoss].map(([k, v]) => [k, mean(v)])),
      stageMedianDtOverT: Object.fromEntries([...stageRatio].map(([k, v]) => [k, mean(v)])),
    }));
    s.dispose();
  }
}
