// The lr decay in continue.py (scripts/torch/cmstep.py scheduled_lr) against src/core/cm/lrSchedule.ts: the
// same lr at every step, a first step replayed mid-way through a cosine decay with the same resulting state,
// and continuing past the step budget refused unless --budget or --lr-decay says what the lr should do.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { Config } from '../../../src/core/config';
import { scheduledLr, type LrScheduleSettings } from '../../../src/core/cm/lrSchedule';
import { peekRunFile } from '../../../src/core/run/runFile';
import { TrainingSession } from '../../../src/core/run/session';
import { exportAfter, type ExportedRun } from './bundleRun';
import { PYTHON, SLOW, continuePy, expectSameState, firstStep, relClose, suite, tmp, write } from './pyRun';

// The 2D defaults for CD (lr 1e-2, 100 warm-up steps, cosine) on a small MLP, exported half-way through a 300-step budget.
const COSINE_CD: Partial<Config> = {
  dataset: 'moons', mode: 'cd', teacher: 'exact', solver: 'euler', metric: 'l2', width: 32, depth: 2, batchSize: 64,
  lr: 1e-2, warmupSteps: 100, lrDecay: 'cosine', steps: 300,
};

const schedule = (c: Config, decaySteps = c.steps): LrScheduleSettings => ({ lr: c.lr, warmupSteps: c.warmupSteps, decay: c.lrDecay, decaySteps });

suite('continue.py: the lr decay', () => {
  let run: ExportedRun;
  let dir: string;
  let bundlePath: string;
  let config: Config;
  beforeAll(async () => {
    run = await exportAfter(COSINE_CD, 150);
    config = peekRunFile(run.bundle).config!;
    dir = tmp();
    bundlePath = write(dir, 'cosine.safetensors', run.bundle);
  }, SLOW);

  it('scheduled_lr equals scheduledLr: warm-up, cosine and linear before, at and after the budget, constant, a budget inside the warm-up', () => {
    const cases: LrScheduleSettings[] = [
      { lr: 1e-2, warmupSteps: 100, decay: 'cosine', decaySteps: 300 },
      { lr: 1e-2, warmupSteps: 100, decay: 'linear', decaySteps: 300 },
      { lr: 3e-4, warmupSteps: 0, decay: 'cosine', decaySteps: 50 },
      { lr: 3e-4, warmupSteps: 0, decay: 'linear', decaySteps: 50 },
      { lr: 1e-2, warmupSteps: 10, decay: 'constant', decaySteps: 300 },
      { lr: 1e-2, warmupSteps: 100, decay: 'cosine', decaySteps: 60 },
    ];
    const ks = [1, 2, 49, 50, 51, 99, 100, 101, 102, 150, 200, 299, 300, 301, 302, 1000];
    const configs = cases.map((s) => ({ lr: s.lr, warmupSteps: s.warmupSteps, lrDecay: s.decay, steps: s.decaySteps }));
    const py = spawnSync(PYTHON, ['-c',
      'import json, sys; sys.path.insert(0, "scripts/torch"); from cmstep import scheduled_lr; '
      + 'cs, ks = json.loads(sys.argv[1]); print(json.dumps([[scheduled_lr(c, k) for k in ks] for c in cs]))',
      JSON.stringify([configs, ks])], { encoding: 'utf8', timeout: 120_000 });
    expect(py.status, py.stderr).toBe(0);
    const got = JSON.parse(py.stdout) as number[][];
    cases.forEach((s, i) => ks.forEach((k, j) => {
      const want = scheduledLr(s, k);
      expect(Math.abs(got[i][j] - want), `${JSON.stringify(s)} at update ${k}: ${got[i][j]} vs ${want}`).toBeLessThanOrEqual(1e-15 * s.lr);
    }));
    // The cases really cover the interesting points: full lr after the warm-up, mid-decay, 0 past the budget.
    expect(got[0][ks.indexOf(101)]).toBe(1e-2);
    expect(got[0][ks.indexOf(200)]).toBeGreaterThan(0.4e-2);
    expect(got[0][ks.indexOf(301)]).toBeLessThan(1e-3 * 1e-2); // a sliver on the first update past the budget
    expect(got[0][ks.indexOf(302)]).toBe(0);
    expect(got[5][ks.indexOf(1000)]).toBe(1e-2);
  });

  it('replays our next step mid-way through the cosine decay: the same lr, loss and resulting state', async () => {
    const out = join(dir, 'one.safetensors');
    const s = firstStep(await continuePy(['--bundle', bundlePath, '--out', out, '--steps', '1']));
    expect(s.step).toBe(151);
    const lr = scheduledLr(schedule(config), 151);
    expect(lr).toBeLessThan(0.9 * config.lr); // the decay matters for this step
    expect(s.lr as number).toBeCloseTo(lr, 15);
    expect(relClose(s.loss as number, run.nextLoss), `${s.loss} vs ${run.nextLoss}`).toBe(true);
    expectSameState(new Uint8Array(readFileSync(out)), run.after);
  }, SLOW);

  it('past the budget: refused (exit 2, nothing written) without --budget or --lr-decay; --budget N decays to N and the core goes on from there; --lr-decay constant keeps the full lr', async () => {
    const never = join(dir, 'never.safetensors');
    const budget = join(dir, 'budget.safetensors');
    const constant = join(dir, 'constant.safetensors');
    const [refused, short, longer, flat] = await Promise.all([
      continuePy(['--bundle', bundlePath, '--out', never, '--steps', '200']),
      continuePy(['--bundle', bundlePath, '--out', never, '--steps', '200', '--budget', '340']),
      continuePy(['--bundle', bundlePath, '--out', budget, '--steps', '200', '--budget', '400', '--log-every', '25']),
      continuePy(['--bundle', bundlePath, '--out', constant, '--steps', '200', '--lr-decay', 'constant', '--log-every', '25']),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/lr decays \(cosine\) to 0 just after the step budget 300, so continuing to step 350 would train at lr \(about\) 0.*--budget N \(N >= 350.*--lr-decay constant/);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/--budget 340 ends before this continuation does \(step 350\)/);
    expect(existsSync(never)).toBe(false);

    // --budget 400: the decay's end moves to 400 (the lr jumps up to that schedule's value, as in the page after raising the budget).
    expect(longer.code, longer.stderr).toBe(0);
    const steps = longer.events.filter((e) => e.event === 'step');
    expect(steps.length).toBeGreaterThan(5);
    for (const e of steps) expect(e.lr as number, `step ${e.step}`).toBeCloseTo(scheduledLr(schedule(config, 400), e.step as number), 15);
    expect(Math.min(...steps.map((e) => e.lr as number))).toBeGreaterThan(0.05 * config.lr);
    const bytes = new Uint8Array(readFileSync(budget));
    const written = peekRunFile(bytes).config!;
    expect(written).toMatchObject({ steps: 400, K: 300, lrDecay: 'cosine' });
    // The core, given the written bundle, takes its next step at the same schedule's lr.
    const session = new TrainingSession(written, {}, 20);
    try {
      await session.importRunFile(bytes);
      expect(session.trainer!.optimizer.t).toBe(350);
      expect(session.trainer!.optimizer.currentLr()).toBeCloseTo(scheduledLr(schedule(config, 400), 351), 15);
    } finally {
      session.dispose();
    }

    expect(flat.code, flat.stderr).toBe(0);
    const flatSteps = flat.events.filter((e) => e.event === 'step');
    expect(flatSteps.length).toBeGreaterThan(5);
    for (const e of flatSteps) expect(e.lr).toBe(config.lr);
    expect(peekRunFile(new Uint8Array(readFileSync(constant))).config!).toMatchObject({ steps: 350, lrDecay: 'constant' });
  }, SLOW);
});
