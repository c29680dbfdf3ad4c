// continue.py on the methods of src/core/methods/ (ECT, sCT, sCD, MeanFlow, shortcut, flow matching): each run
// is exported from the TypeScript core with its next step's own draws (next/<field>), continued one step in
// PyTorch, and that step's loss must be ours to 1e-4 with the same weights, EMAs and Adam state afterwards.
// The runs train 12 steps first at lr 5e-3, so the networks' outputs (and the JVP terms of sCT, sCD and
// MeanFlow: zeroing them moves these losses by 3-10 %) are far from their zero initialisation.
// All first steps run in ONE python process (importing torch costs seconds here); a shortcut run (target EMA,
// flow and bootstrap rows split over the ranks) continues 10 steps on 2 torchrun ranks and comes back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { ectStage } from '../../../src/core/methods/ect';
import { trainingMethodFor } from '../../../src/core/methods/registry';
import { tangentWarmup } from '../../../src/core/methods/scm';
import { runStreams } from '../../../src/core/rng';
import { createNetwork } from '../../../src/core/models/index';
import { decodeRunFile, peekRunFile } from '../../../src/core/run/runFile';
import { TrainingSession } from '../../../src/core/run/session';
import { readSafetensors } from '../../../src/core/io/safetensors';
import { exportAfter, type ExportedRun } from './bundleRun';
import { SLOW, continuePy, expectSameState, firstStep, relClose, runPython, suite, tmp, write } from './pyRun';

const BASE: Partial<Config> = {
  dataset: 'moons', teacher: 'exact', width: 32, depth: 2, batchSize: 64, steps: 100, warmupSteps: 0, lr: 5e-3, gradClip: 1,
};
// jvpRoute exact: the TypeScript double VJP, against which torch's exact JVP is judged. `meanflow-fd` keeps
// the default route (central difference at h = 0.01): measured 6e-7 relative from torch's exact JVP here.
const RUNS: Record<string, Partial<Config>> = {
  // A budget of 12 steps: the continued step goes past it, so ECT's stage length and sCM's warm-up are pinned.
  ect: { mode: 'ect', ectPrefitSteps: 4, steps: 12, ectQ: 2, ectStageSteps: 0 }, // the paper's stages over the budget
  'ect-prefit': { mode: 'ect' },
  flow: { mode: 'flow', flowTimeSampling: 'logit-normal' },
  shortcut: { mode: 'shortcut', shortcutM: 8, shortcutTargetEma: 0.9 },
  meanflow: { mode: 'meanflow', jvpRoute: 'exact' },
  'meanflow-fd': { mode: 'meanflow', seed: 7 },
  sct: { mode: 'sct', scmPretrain: 4, scmWarmup: 10, jvpRoute: 'exact' },
  'sct-pretrain': { mode: 'sct', jvpRoute: 'exact', steps: 12 },
  scd: { mode: 'scd', scmPretrain: 4, scmWarmup: 10, jvpRoute: 'exact' },
  'scd-learned': { mode: 'scd', teacher: 'learned', teacherSteps: 3, scmPretrain: 4, scmWarmup: 10, jvpRoute: 'exact' },
};
const DIGITS: Partial<Config> = { dataset: 'mnist', mode: 'shortcut', model: 'unet-tiny', batchSize: 8, steps: 100 };

/**
 * One python process: continue.py's Run for each (bundle, out), one step each (its loss as a JSON line); then,
 * for 2D runs, the moments of each field of 4096 of its own fresh draws, and one step on fresh draws.
 */
const FIRST_STEPS = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location('continue_py', 'scripts/torch/continue.py')
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
m.torch.set_num_threads(1)
d = m.Dist('cpu', 60)
def moments(v):
    a = (v.detach().double().cpu() if m.torch.is_tensor(v) else m.torch.as_tensor(m.np.asarray(v, dtype=m.np.float64))).reshape(-1)
    return [len(a), float(a.mean()), float(a.var(unbiased=False)), float((a * a).mean()), float((a * a).var(unbiased=False))]
for bundle, out in json.loads(sys.argv[1]):
    run = m.Run(m.parse_args(['--bundle', bundle, '--out', out, '--steps', '1']), d)
    r = run.train_step()
    run.save(0.0)
    e = {'out': out, 'loss': r['loss'], 'replayed': r['replayed'], 'step': run.step}
    if run.data.mixture is not None:
        e['stats'] = {k: v if isinstance(v, (bool, int)) else moments(v) for k, v in run.method.draw(4096, run.gen, run.step).items()}
        e['fresh'] = run.train_step()['loss']
    print(json.dumps(e), flush=True)
`;

interface FirstStep { out: string; loss: number; replayed: boolean; step: number; stats?: Record<string, number | boolean | number[]>; fresh?: number }

function firstSteps(pairs: Array<[string, string]>): Promise<{ code: number | null; stderr: string; steps: Map<string, FirstStep> }> {
  return runPython(['-c', FIRST_STEPS, JSON.stringify(pairs)]).then(({ code, stdout, stderr }) => {
    const steps = new Map<string, FirstStep>();
    for (const l of stdout.split('\n').filter((x) => x.startsWith('{'))) {
      const e = JSON.parse(l) as FirstStep;
      if (e.replayed) steps.set(e.out, e);
    }
    return { code, stderr, steps };
  });
}

suite('continue.py on every other method', () => {
  const runs = new Map<string, ExportedRun>();
  let dir: string;
  beforeAll(async () => {
    dir = tmp();
    for (const [name, o] of Object.entries(RUNS)) runs.set(name, await exportAfter({ ...BASE, ...o }, name === 'scd-learned' ? 15 : 12));
    runs.set('digits', await exportAfter(DIGITS, 2, 'wasm'));
  }, SLOW);

  it('replays our next step of each method (2D MLP, tiny U-Net): same loss (1e-4), weights, EMAs and Adam state; schedules pinned past the budget; 2 ranks come back', async () => {
    for (const [name, run] of runs) {
      const meta = readSafetensors(run.bundle).metadata;
      expect(meta.nextStep, name).toBe(String(run.step));
    }
    const shortcut = readSafetensors(runs.get('shortcut')!.bundle);
    expect(shortcut.tensors.get('next/dNet')!.shape).toEqual([64]);
    expect(JSON.parse(shortcut.metadata.nextScalars)).toEqual({ flowRows: 48 });
    const pairs = [...runs.keys()].map((n) => [write(dir, `${n}.safetensors`, runs.get(n)!.bundle), join(dir, `${n}-one.safetensors`)] as [string, string]);
    // Meanwhile: the shortcut run on 2 ranks (the slower start-up of the two).
    const [one, ddp] = await Promise.all([
      firstSteps(pairs),
      continuePy(['--bundle', pairs[[...runs.keys()].indexOf('shortcut')][0], '--out', join(dir, 'ddp.safetensors'), '--steps', '10', '--log-every', '5'], 2),
    ]);
    expect(one.code, one.stderr).toBe(0);
    for (const [name, run] of runs) {
      const out = join(dir, `${name}-one.safetensors`);
      const py = one.steps.get(out);
      expect(py !== undefined && relClose(py.loss, run.nextLoss), `${name}: ${py?.loss} vs ${run.nextLoss}`).toBe(true);
      expectSameState(new Uint8Array(readFileSync(out)), run.after);
      if (name !== 'digits') {
        expect(Number.isFinite(py!.fresh), `${name}: a step on fresh draws`).toBe(true);
        expectSameDraws(name, py!.stats!, py!.step);
      }
    }
    // Past the budget, ECT's stages and sCM's tangent warm-up go on as scheduled (pinned, not stretched).
    const ect = pinned(runs.get('ect')!, join(dir, 'ect-one.safetensors'));
    expect(ect.written).toMatchObject({ ectStageSteps: 1, steps: 13 });
    for (let k = 0; k < 40; k++) expect(ectStage(ect.written, k, 4), `stage at ${k}`).toBe(ectStage(ect.original, k, 4));
    const sct = pinned(runs.get('sct-pretrain')!, join(dir, 'sct-pretrain-one.safetensors'));
    expect(sct.written).toMatchObject({ scmWarmup: 1, steps: 13 });
    for (const k of [199, 200, 201, 250]) expect(tangentWarmup(sct.written, k)).toBe(tangentWarmup(sct.original, k));
    await checkDdp(ddp, runs.get('shortcut')!, join(dir, 'ddp.safetensors'));
  }, SLOW);
});

/** [n, mean, variance, mean of squares, variance of squares] of an array's entries. */
function moments(v: ArrayLike<number>): number[] {
  const n = v.length;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) s += v[i];
  for (let i = 0; i < n; i++) s2 += v[i] * v[i];
  const mean = s / n;
  const m2 = s2 / n;
  let v1 = 0;
  let v2 = 0;
  for (let i = 0; i < n; i++) {
    v1 += (v[i] - mean) ** 2;
    v2 += (v[i] * v[i] - m2) ** 2;
  }
  return [n, mean, v1 / n, m2, v2 / n];
}

/**
 * Python's fresh draws follow the TypeScript method's distributions: every field of 4096 draws at the same step
 * (data, noise, times, r, step sizes) has the same mean and mean square within 6 standard errors, and the
 * numbers (shortcut's flow rows, ECT's pre-fit flag) are equal.
 */
function expectSameDraws(name: string, py: Record<string, number | boolean | number[]>, step: number): void {
  const config = { ...DEFAULTS, ...BASE, ...RUNS[name], batchSize: 4096 } as Config;
  const session = new TrainingSession(config, {}, 20);
  try {
    const ts = trainingMethodFor(config.mode).draw(session.methodContext(), runStreams(99), step) as unknown as Record<string, unknown>;
    expect(Object.keys(py).sort(), name).toEqual(Object.keys(ts).sort());
    for (const [field, p] of Object.entries(py)) {
      const t = ts[field];
      if (!Array.isArray(p)) {
        expect(t, `${name}.${field}`).toBe(p);
        continue;
      }
      const [n, mean, v1, m2, v2] = moments(t as ArrayLike<number>);
      expect(p[0], `${name}.${field} count`).toBe(n);
      const close = (a: number, b: number, va: number, vb: number) => Math.abs(a - b) <= 6 * Math.sqrt((va + vb) / n) + 1e-12;
      expect(close(p[1], mean, p[2], v1), `${name}.${field} mean ${p[1]} vs ${mean}`).toBe(true);
      expect(close(p[3], m2, p[4], v2), `${name}.${field} mean square ${p[3]} vs ${m2}`).toBe(true);
    }
  } finally {
    session.dispose();
  }
}

function pinned(run: ExportedRun, out: string): { original: Config; written: Config } {
  const original = peekRunFile(run.bundle).config!;
  expect(original.steps).toBe(12);
  return { original, written: peekRunFile(new Uint8Array(readFileSync(out))).config! };
}

/** Two ranks: the first step is ours (each rank replays its rows), then 10 steps load into the core and sample. */
async function checkDdp(r: Awaited<ReturnType<typeof continuePy>>, run: ExportedRun, out: string): Promise<void> {
  const s = firstStep(r);
  expect(relClose(s.loss as number, run.nextLoss), `DDP first step ${s.loss} vs ${run.nextLoss}`).toBe(true);
  expect(r.events.find((e) => e.event === 'start')).toMatchObject({ world: 2, method: 'shortcut', batchPerRank: 32 });
  const bytes = new Uint8Array(readFileSync(out));
  const { config, configErrors } = peekRunFile(bytes);
  expect(configErrors).toEqual([]);
  const net = createNetwork(config!, [2], 2);
  const after = decodeRunFile(bytes, net).trainer!;
  expect(after.step).toBe(run.step + 10);
  expect(after.target).not.toBeNull(); // shortcut's target EMA travels
  expect(after.online[0]).not.toEqual(decodeRunFile(run.bundle, net).trainer!.online[0]);
  const session = new TrainingSession(config!, {}, 20);
  try {
    expect((await session.importRunFile(bytes)).step).toBe(run.step + 10);
    const z = Float32Array.from({ length: 2 * 200 }, (_, i) => Math.sin(i * 12.9898) * 1.3);
    const samples = await session.sample({ initial: z, perTau: config!.taus.map(() => z) });
    expect(samples.length).toBeGreaterThan(1);
    for (const x of samples) {
      expect(x.length).toBe(400);
      expect(x.every((v) => Number.isFinite(v) && Math.abs(v) < 10)).toBe(true);
    }
    expect(samples[0]).not.toEqual(z); // the model moved the noise
  } finally {
    session.dispose();
  }
}
