// scripts/torch/continue.py against the TypeScript trainer: a bundle exported from the core is continued in
// PyTorch (Debian's python3-torch at /usr/bin/python3; .ci/run installs it), its first step replayed from the
// bundle's draws must match our next step, and what it writes must load back into the core and the CLI.
// CD and CT here; the other methods in continueMethods.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { Config } from '../../../src/core/config';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../../src/core/io/safetensors';
import { scheduledMu, scheduledN } from '../../../src/core/cm/scheduleState';
import { createLpipsForConfig, lpipsDistanceFn, syntheticLpipsWeights, syntheticWeightFiles } from '../../../src/core/lpips/index';
import { createNetwork } from '../../../src/core/models/index';
import { decodeRunFile, peekRunFile } from '../../../src/core/run/runFile';
import { TrainingSession } from '../../../src/core/run/session';
import { loadImageResources } from '../../../src/cli/imageResources';
import { exportAfter, type ExportedRun } from './bundleRun';
import { PYTHON, SLOW, continuePy, expectSameState, firstStep, relClose, suite, tmp, write } from './pyRun';

/** The same bundle with some metadata replaced (e.g. another format version). */
function withMetadata(bytes: Uint8Array, patch: (meta: Record<string, string>) => void, extra: Record<string, TensorToWrite> = {}): Uint8Array {
  const { tensors, metadata } = readSafetensors(bytes);
  const out = new Map<string, TensorToWrite>();
  tensors.forEach((t, k) => out.set(k, { shape: t.shape, data: t.data as Float32Array }));
  Object.entries(extra).forEach(([k, t]) => out.set(k, t));
  const meta = { ...metadata };
  patch(meta);
  return writeSafetensors(out, meta);
}

const MOONS_CD: Partial<Config> = {
  dataset: 'moons', mode: 'cd', teacher: 'exact', solver: 'euler', metric: 'l2', width: 32, depth: 2, batchSize: 64, steps: 100,
  warmupSteps: 10, gradClip: 1,
};

suite('continue.py on a 2D run (MLP)', () => {
  let run: ExportedRun;
  let dir: string;
  let bundlePath: string;
  beforeAll(async () => {
    run = await exportAfter(MOONS_CD, 3);
    dir = tmp();
    bundlePath = write(dir, 'moons.safetensors', run.bundle);
  }, SLOW);

  it('replays our next step: the same loss (1e-4) and, after it, the same weights, target, EMA and Adam state', async () => {
    const out = join(dir, 'one.safetensors');
    const s = firstStep(await continuePy(['--bundle', bundlePath, '--out', out, '--steps', '1']));
    expect(s.step).toBe(run.step + 1);
    expect(relClose(s.loss as number, run.nextLoss), `${s.loss} vs ${run.nextLoss}`).toBe(true);
    expectSameState(new Uint8Array(readFileSync(out)), run.after);
  }, SLOW);

  it('the same for l1, RAdam and a learned teacher taken through Heun steps', async () => {
    const other = await exportAfter({ ...MOONS_CD, dataset: 'eight-gaussians', teacher: 'learned', teacherSteps: 3, solver: 'heun', metric: 'l1', optimizer: 'radam' }, 5);
    const out = join(dir, 'l1.safetensors');
    const s = firstStep(await continuePy(['--bundle', write(dir, 'l1-in.safetensors', other.bundle), '--out', out, '--steps', '1']));
    expect(relClose(s.loss as number, other.nextLoss), `${s.loss} vs ${other.nextLoss}`).toBe(true);
    expectSameState(new Uint8Array(readFileSync(out)), other.after);
  }, SLOW);

  it('runs 10 steps on 2 ranks (torchrun, gloo), and the result loads into the core and `cm sample`', async () => {
    const out = join(dir, 'ddp.safetensors');
    const r = await continuePy(['--bundle', bundlePath, '--out', out, '--steps', '10', '--log-every', '5'], 2);
    const s = firstStep(r);
    expect(relClose(s.loss as number, run.nextLoss), `DDP first step ${s.loss} vs ${run.nextLoss}`).toBe(true);
    expect(r.events.find((e) => e.event === 'start')?.world).toBe(2);
    const bytes = new Uint8Array(readFileSync(out));
    const { config, configErrors, format } = peekRunFile(bytes);
    expect(format).toBe('cm-playground/run@2');
    expect(configErrors).toEqual([]);
    const contents = decodeRunFile(bytes, createNetwork(config!, [2]));
    expect(contents.trainer!.step).toBe(run.step + 10);
    expect(contents.trainer!.optimizer.t).toBe(run.step + 10);
    const before = decodeRunFile(run.bundle, createNetwork(config!, [2])).trainer!.online[0];
    expect(contents.trainer!.online[0]).not.toEqual(before);
    const sampleDir = join(dir, 'samples');
    const cm = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cm.ts', 'sample', '--run', out, '--out', sampleDir, '--count', '200'], { encoding: 'utf8', timeout: 120_000 });
    expect(cm.status, cm.stderr).toBe(0);
    const csv = readFileSync(join(sampleDir, 'samples-1step.csv'), 'utf8').trim().split('\n');
    expect(csv.length).toBeGreaterThanOrEqual(200);
    expect(csv.slice(1).every((l) => l.split(',').every((v) => Number.isFinite(Number(v))))).toBe(true);
  }, SLOW);

  it('--resume picks up from its own output: an interrupted run ends where an uninterrupted one does', async () => {
    const out = join(dir, 'resumed.safetensors');
    const first = await continuePy(['--bundle', bundlePath, '--out', out, '--steps', '4']);
    expect(first.code, first.stderr).toBe(0);
    const again = await continuePy(['--bundle', bundlePath, '--out', out, '--steps', '8', '--resume']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.events.find((e) => e.event === 'start')).toMatchObject({ step: run.step + 4, until: run.step + 8, resumed: true, replayFirstStep: false });
    const whole = join(dir, 'whole.safetensors');
    expect((await continuePy(['--bundle', bundlePath, '--out', whole, '--steps', '8'])).code).toBe(0);
    // Same draws (the generator state is in the bundle), so the same weights, to float32 rounding.
    expectSameState(new Uint8Array(readFileSync(out)), new Uint8Array(readFileSync(whole)));
  }, SLOW);

  it('follows N(k) and mu(k) as the TypeScript schedule does, also past the step budget (K is pinned)', async () => {
    const adaptive = await exportAfter({ ...MOONS_CD, mode: 'ct', nSchedule: 'ct-adaptive', s0: 2, s1: 40, mu0: 0.9, K: 0, steps: 8 }, 3);
    const out = join(dir, 'adaptive.safetensors');
    const r = await continuePy(['--bundle', write(dir, 'adaptive-in.safetensors', adaptive.bundle), '--out', out, '--steps', '12', '--log-every', '1']);
    expect(r.code, r.stderr).toBe(0);
    const original = peekRunFile(adaptive.bundle).config!;
    const written = peekRunFile(new Uint8Array(readFileSync(out))).config!;
    expect(written).toMatchObject({ K: 8, steps: 15 });
    const steps = r.events.filter((e) => e.event === 'step');
    expect(steps.length).toBe(12);
    for (const e of steps) {
      const k = (e.step as number) - 1;
      expect(e.N, `N at k = ${k}`).toBe(scheduledN(original, k));
      expect(e.mu as number).toBeCloseTo(scheduledMu(original, scheduledN(original, k)), 12);
      expect(scheduledN(written, k)).toBe(scheduledN(original, k));
    }
    expect(new Set(steps.map((e) => e.N)).size).toBeGreaterThan(2); // the curriculum really moved
  }, SLOW);

  it('refuses, with a message and nothing written: another format version (python and the core), an unknown method, a weights file, a truncated file, parameters beside the network', async () => {
    const v3 = withMetadata(run.bundle, (m) => (m.format = 'cm-playground/run@3'));
    expect(() => peekRunFile(v3)).toThrow(/format version 3.*reads versions 1 and 2/);
    const unknown = withMetadata(run.bundle, (m) => (m.config = JSON.stringify({ ...JSON.parse(m.config), mode: 'consistency-pizza' })));
    const weights = withMetadata(run.bundle, (m) => (m.format = 'cm-playground/weights@1'));
    // A method's own trainable pieces (sCM's w_phi) that continue.py does not train: refused, not dropped.
    const extra = withMetadata(run.bundle, () => {}, { 'online/wphi.bias': { shape: [1], data: new Float32Array(1) } });
    const out = join(dir, 'never.safetensors');
    const [r, r2, r3, r4, r5] = await Promise.all([
      continuePy(['--bundle', write(dir, 'v3.safetensors', v3), '--out', out]),
      continuePy(['--bundle', write(dir, 'unknown.safetensors', unknown), '--out', out]),
      continuePy(['--bundle', write(dir, 'w.safetensors', weights), '--out', out]),
      continuePy(['--bundle', write(dir, 'cut.safetensors', run.bundle.subarray(0, run.bundle.length - 100)), '--out', out]),
      continuePy(['--bundle', write(dir, 'extra.safetensors', extra), '--out', out]),
    ]);
    expect(r5.code).toBe(2);
    expect(r5.stderr).toMatch(/parameters beside the network \(online\/wphi.bias\) that continue.py cannot train yet/);
    expect(r4.code).toBe(2);
    expect(r4.stderr).toMatch(/do not fit shape .* inside the file/);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/format version 3.*reads versions 1 and 2 only/);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/method "consistency-pizza" is not supported by continue.py \(supported: cd, ct, ect, scd, sct, meanflow, shortcut, flow\)/);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/weights file, not a run/);
    expect(() => readFileSync(out)).toThrow();
  }, SLOW);
});

suite('continue.py on a tiny U-Net run (MNIST CT, pseudo-Huber)', () => {
  it('replays our next step, then 10 steps on 2 ranks load back into the core and sample digits', async () => {
    const overrides: Partial<Config> = { dataset: 'mnist', mode: 'ct', model: 'unet-tiny', metric: 'pseudo-huber', batchSize: 8, steps: 100 };
    const run = await exportAfter(overrides, 2, 'wasm');
    const dir = tmp();
    const bundlePath = write(dir, 'digits.safetensors', run.bundle);
    const one = join(dir, 'one.safetensors');
    const out = join(dir, 'ddp.safetensors');
    const [single, r] = await Promise.all([
      continuePy(['--bundle', bundlePath, '--out', one, '--steps', '1']),
      continuePy(['--bundle', bundlePath, '--out', out, '--steps', '10', '--checkpoint-every', '5'], 2),
    ]);
    const s = firstStep(single);
    expect(relClose(s.loss as number, run.nextLoss), `${s.loss} vs ${run.nextLoss}`).toBe(true);
    expectSameState(new Uint8Array(readFileSync(one)), run.after);
    expect(relClose(firstStep(r).loss as number, run.nextLoss)).toBe(true);
    // Checkpoints at every multiple of 5 (the run's own step count) and at the end.
    const expected = [...Array.from({ length: 10 }, (_, i) => run.step + 1 + i).filter((k) => k % 5 === 0), run.step + 10];
    expect(r.events.filter((e) => e.event === 'checkpoint').map((e) => e.step)).toEqual([...new Set(expected)]);
    const bytes = new Uint8Array(readFileSync(out));
    const config = peekRunFile(bytes).config!;
    const session = new TrainingSession(config, loadImageResources(config, undefined, 20), 20);
    try {
      const { step } = await session.importRunFile(bytes);
      expect(step).toBe(run.step + 10);
      const z = Float32Array.from({ length: 2 * 784 }, (_, i) => Math.sin(i * 12.9898) * 1.3);
      const [oneStep] = await session.sample({ initial: z, perTau: config.taus.map(() => z) });
      expect(oneStep.length).toBe(2 * 784);
      expect(oneStep.every((v) => Number.isFinite(v) && v >= -1 && v <= 1)).toBe(true);
    } finally {
      session.dispose();
    }
  }, SLOW);

  it('LPIPS (SqueezeNet at 64 px, hash-generated weights given as files): same first loss and state; refused without the files', async () => {
    const overrides = { dataset: 'mnist', mode: 'ct', model: 'unet-tiny', metric: 'lpips', lpipsNet: 'squeeze', lpipsResolution: '64', batchSize: 4, steps: 100 } as Partial<Config>;
    const run = await exportAfter(overrides, 2, 'wasm', (c) => ({ lpips: lpipsDistanceFn(createLpipsForConfig(syntheticLpipsWeights('squeeze'), c)) }));
    const dir = tmp();
    const files = syntheticWeightFiles('squeeze');
    write(dir, 'squeeze-backbone.safetensors', files.backbone);
    const lin = write(dir, 'squeeze-lin.safetensors', files.lin);
    const bundlePath = write(dir, 'lpips.safetensors', run.bundle);
    const out = join(dir, 'one.safetensors');
    const [ok, without, linOnly] = await Promise.all([
      continuePy(['--bundle', bundlePath, '--out', out, '--steps', '1', '--lpips-weights', dir]),
      continuePy(['--bundle', bundlePath, '--out', join(dir, 'never.safetensors')]),
      continuePy(['--bundle', bundlePath, '--out', join(dir, 'never.safetensors'), '--lpips-weights', lin]),
    ]);
    const s = firstStep(ok);
    expect(relClose(s.loss as number, run.nextLoss), `${s.loss} vs ${run.nextLoss}`).toBe(true);
    expectSameState(new Uint8Array(readFileSync(out)), run.after);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/metric "lpips" needs --lpips-weights/);
    expect(linOnly.code).toBe(2);
    expect(linOnly.stderr).toMatch(/the squeeze backbone lacks 0\.weight/);
  }, SLOW);

  const REAL_LPIPS = join('..', 'shared', 'lpips');
  it.skipIf(!existsSync(REAL_LPIPS))('lpips_torch.py with the real SqueezeNet v0.1 files (.pth) gives the reference distances (lpips.md)', async () => {
    const code = [
      'import sys, numpy as np, torch', "sys.path.insert(0, 'scripts/torch')", 'from lpips_torch import load_lpips_weights, Lpips',
      `b, l = load_lpips_weights('${REAL_LPIPS}/backbone,${REAL_LPIPS}/lin-v0.1/squeeze.pth', 'squeeze')`,
      "L = Lpips(b, l, 'squeeze', 64, torch.device('cpu'))",
      `im = lambda n: torch.from_numpy(np.fromfile(f'${REAL_LPIPS}/imgs/{n}.rgb8-64x64.raw', np.uint8).reshape(1, 64, 64, 3).astype(np.float32) / 127.5 - 1)`,
      "print(float(L(im('ex_ref'), im('ex_p0'))), float(L(im('ex_ref'), im('ex_p1'))))",
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const [p0, p1] = r.stdout.trim().split(' ').map(Number);
    expect(Math.abs(p0 - 0.7110476) / 0.7110476).toBeLessThan(1e-5);
    expect(Math.abs(p1 - 0.1479016) / 0.1479016).toBeLessThan(1e-5);
  }, SLOW);
});
