// MNIST per-method budget (issue 13 part 4): the methods that start from the shipped pretrained EDM teacher
// (CD and ECT copy its weights; sCD distils from it but pre-trains its own TrigFlow network first), each
// trained for a fixed number of steps with the page's digit preset (U-Net, lr 2e-4) at a smaller batch so the
// budget fits a shared CPU, then one-step and two-step FD and label entropy with the mnist section's digit
// classifier. Node WASM, like the CLI. Full: 200 steps at batch 16, 256 samples; --quick: 20 steps, 64 samples;
// CM_BENCH_MNIST_STEPS sets the budget, CM_BENCH_METHODS a subset (cd, ect, scd).
import { DEFAULTS, crossFieldErrors, withDatasetDefaults, type Config } from '../../../src/core/config';
import type { ImageQuality } from '../../../src/core/run/imageData';
import { METHOD_INFO, type MethodId } from '../../../src/core/methods/settings/index';
import { log } from '../lib/log';
import { settle, useBackend } from '../lib/nodeBackend';
import { openSession } from '../lib/sessions';
import { round } from '../lib/stats';

export const MNIST_METHODS = ['cd', 'ect', 'scd'] as const satisfies readonly MethodId[];
export type MnistMethod = (typeof MNIST_METHODS)[number];
export const MNIST_METHODS_BATCH = 16;

export interface MnistMethodsSetup { backend: string; steps: number; batch: number; samples: number; lr: number; note: string }
export interface MnistMethodRow {
  method: MnistMethod;
  /** What the student's weights are at step 0. */
  start: string;
  steps: number;
  msPerStep: number;
  seconds: number;
  /** Quality of the starting weights (step 0) and after the budget. */
  atStart?: ImageQuality;
  atEnd?: ImageQuality;
  error?: string;
}
export interface MnistMethodsResult { setup: MnistMethodsSetup; rows: MnistMethodRow[] }

/** The page's digit preset for `method` (withDatasetDefaults: U-Net, pretrained teacher, lr 2e-4) at `batch`. */
export function mnistMethodConfig(method: MnistMethod, batch = MNIST_METHODS_BATCH): Config {
  const c: Config = { ...withDatasetDefaults({ ...DEFAULTS, dataset: 'mnist', mode: method }, new Set(['dataset', 'mode'])), batchSize: batch };
  const errors = crossFieldErrors(c);
  if (errors.length) throw new Error(`mnist-methods: ${method} config is invalid: ${errors.join('; ')}`);
  return c;
}

/** How each method's student starts from the shipped teacher (session.ts startStudent). */
export function startOf(c: Config): string {
  if (c.mode === 'scd') return `own TrigFlow net, ${c.scmPretrain} steps of diffusion pre-training on the teacher's velocity first`;
  return 'copy of the teacher\'s weights';
}

/** Budget and sample count: the env override, else full 200/256 or quick 20/64. */
export function mnistMethodsBudget(quick: boolean, env: Record<string, string | undefined> = process.env): { steps: number; samples: number } {
  const raw = env.CM_BENCH_MNIST_STEPS;
  const steps = raw === undefined ? (quick ? 20 : 200) : Number(raw);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`CM_BENCH_MNIST_STEPS must be a positive integer (got "${raw}")`);
  return { steps, samples: quick ? 64 : 256 };
}

function methodsToRun(env: Record<string, string | undefined> = process.env): MnistMethod[] {
  const only = env.CM_BENCH_METHODS?.split(',').filter(Boolean);
  if (!only) return [...MNIST_METHODS];
  const unknown = only.filter((m) => !(MNIST_METHODS as readonly string[]).includes(m));
  if (unknown.length) throw new Error(`CM_BENCH_METHODS: ${unknown.join(', ')} not in the MNIST comparison (${MNIST_METHODS.join(', ')})`);
  return only as MnistMethod[];
}

const rounded = (q: ImageQuality) => Object.fromEntries(Object.entries(q).map(([k, v]) => [k, round(v as number, 3)])) as unknown as ImageQuality;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

export async function mnistMethodsSection(quick: boolean): Promise<MnistMethodsResult> {
  await useBackend('wasm');
  const { steps, samples } = mnistMethodsBudget(quick);
  const rows: MnistMethodRow[] = [];
  let lr = Number.NaN;
  for (const method of methodsToRun()) {
    const c = mnistMethodConfig(method);
    lr = c.lr;
    const t0 = performance.now();
    const row: MnistMethodRow = { method, start: startOf(c), steps, msPerStep: Number.NaN, seconds: 0 };
    try {
      const s = openSession(c, samples);
      try {
        row.atStart = rounded((await s.evaluate('ema')).image!);
        const ms: number[] = [];
        for (let k = 0; k < steps; k++) {
          const t = performance.now();
          await settle((await s.trainStep()).loss);
          ms.push(performance.now() - t);
        }
        row.msPerStep = round(median(ms), 0);
        row.atEnd = rounded((await s.evaluate('ema')).image!);
      } finally {
        s.dispose();
      }
      log(`mnist-methods ${method}: ${steps} steps at ${row.msPerStep} ms; fd1 ${row.atStart.fd1} -> ${row.atEnd.fd1}, fd2 ${row.atStart.fd2} -> ${row.atEnd.fd2}`);
    } catch (e) {
      row.error = (e as Error).message;
      log(`mnist-methods ${method}: ${row.error}`);
    }
    row.seconds = round((performance.now() - t0) / 1000, 1);
    rows.push(row);
  }
  const note = `Each method starts from the shipped pretrained EDM teacher and trains ${steps} steps at batch ${MNIST_METHODS_BATCH} `
    + `(the page's digit preset uses batch 64: the smaller batch fits the budget on a CPU), lr ${lr}, Node WASM; FD and label entropy `
    + `of ${samples} one-step and two-step samples (EMA weights) in the digit classifier's features, as in the mnist section. `
    + '"start" is the same evaluation before the first step (for CD and ECT: the teacher\'s weights used as a consistency model).';
  return { setup: { backend: 'wasm', steps, batch: MNIST_METHODS_BATCH, samples, lr, note }, rows };
}

/** The comparison as a Markdown table. */
export function mnistMethodsTable(r: MnistMethodsResult): string {
  const L = [
    '| method | student starts as | steps (batch) | ms per step | FD 1-step start -> end | FD 2-step start -> end | label entropy 1/2 (nats) | confidence 1/2 | floor / ceiling |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const x of r.rows) {
    const a = x.atStart;
    const b = x.atEnd;
    if (!a || !b) {
      L.push(`| ${METHOD_INFO[x.method].label} | ${x.start} | ${x.steps} (${r.setup.batch}) | - | error: ${x.error ?? 'not measured'} | | | | |`);
      continue;
    }
    L.push(`| ${METHOD_INFO[x.method].label} | ${x.start} | ${x.steps} (${r.setup.batch}) | ${x.msPerStep} | ${a.fd1} -> **${b.fd1}** | ${a.fd2} -> **${b.fd2}** | `
      + `${b.labelEntropy1} / ${b.labelEntropy2} | ${b.confidence1} / ${b.confidence2} | ${b.fdFloor} / ${b.fdCeiling} |`);
  }
  return L.join('\n');
}

/** One result from several runs of the same setup (one method each); refuses runs with another setup. */
export function joinMnistMethods(parts: MnistMethodsResult[]): MnistMethodsResult {
  if (parts.length === 0) throw new Error('no mnist-methods results to join');
  const s = parts[0].setup;
  for (const p of parts) {
    if (p.setup.steps !== s.steps || p.setup.batch !== s.batch || p.setup.samples !== s.samples || p.setup.lr !== s.lr || p.setup.backend !== s.backend) {
      throw new Error(`mnist-methods runs differ in setup: ${JSON.stringify(p.setup)} vs ${JSON.stringify(s)}`);
    }
  }
  const rows = parts.flatMap((p) => p.rows);
  const twice = rows.map((r) => r.method).filter((m, i, all) => all.indexOf(m) !== i);
  if (twice.length) throw new Error(`mnist-methods: ${twice.join(', ')} appear in more than one run`);
  return { setup: s, rows };
}
