// scripts/torch/continue.py against the TypeScript trainer: a bundle exported from the core is continued in
// PyTorch (Debian's python3-torch at /usr/bin/python3; .ci/run installs it), its first step replayed from the
// bundle's draws must match our next step, and what it writes must load back into the core and the CLI.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/core/config';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../../src/core/io/safetensors';
import { scheduledMu, scheduledN } from '../../../src/core/cm/scheduleState';
import { createLpipsForConfig, lpipsDistanceFn, syntheticLpipsWeights, syntheticWeightFiles } from '../../../src/core/lpips/index';
import { createNetwork } from '../../../src/core/models/index';
import { decodeRunFile, peekRunFile } from '../../../src/core/run/runFile';
import { TrainingSession } from '../../../src/core/run/session';
import { loadImageResources } from '../../../src/cli/imageResources';
import { exportAfter, type ExportedRun } from './bundleRun';

const PYTHON = '/usr/bin/python3';
const CONTINUE = 'scripts/torch/continue.py';

function torchMissingReason(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return `${PYTHON} cannot run (${r.error.message})`;
  return r.status === 0 ? null : `${PYTHON} has no torch (${r.stderr.trim().split('\n').pop()})`;
}
const missing = torchMissingReason();
if (missing) console.warn(`SKIPPED test/unit/torch/continue.test.ts: ${missing}. Install python3-torch libopenblas0-pthread (.ci/run does).`);
const suite = missing ? describe.skip : describe;

const tmp = () => mkdtempSync(join(tmpdir(), 'cm-continue-'));

interface PyResult { code: number | null; stderr: string; events: Array<Record<string, unknown>> }

/**
 * continue.py on one process, or on `world` processes through torchrun (gloo on the CPU). Asynchronous, so
 * independent runs overlap their start-up (importing torch, the rendezvous) on a 2-core machine.
 */
async function continuePy(args: string[], world = 1): Promise<PyResult> {
  // A free port of our own: --standalone always takes 29400, so two runs at once would meet in one rendezvous.
  // torch 1.13 under Python 3.11 cannot parse torchrun's default --redirects/--tee "0"; 2 (stderr) works.
  const launcher = world > 1
    ? ['-m', 'torch.distributed.run', '--nnodes=1', `--nproc_per_node=${world}`, '--master_addr=127.0.0.1', `--master_port=${await freePort()}`, '--redirects', '2', '--tee', '2']
    : [];
  const child = spawn(PYTHON, [...launcher, CONTINUE, '--json', '--threads', '1', '--dist-timeout', '150', ...args], {
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
  return new Promise((done) => child.on('close', (code) => {
    clearTimeout(timer);
    const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    done({ code, stderr, events });
  }));
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

function write(dir: string, name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** The same bundle with some metadata replaced (e.g. another format version). */
function withMetadata(bytes: Uint8Array, patch: (meta: Record<string, string>) => void): Uint8Array {
  const { tensors, metadata } = readSafetensors(bytes);
  const out = new Map<string, TensorToWrite>();
  tensors.forEach((t, k) => out.set(k, { shape: t.shape, data: t.data as Float32Array }));
  const meta = { ...metadata };
  patch(meta);
  return writeSafetensors(out, meta);
}

/** Every weight, target, EMA and Adam moment of python's bundle equals ours to float32 rounding. */
function expectSameState(pyBundle: Uint8Array, tsBundle: Uint8Array): void {
  const py = readSafetensors(pyBundle);
  const ts = readSafetensors(tsBundle);
  let compared = 0;
  for (const [name, t] of ts.tensors) {
    if (!/^(online|target|ema|optimizer)\//.test(name)) continue;
    const p = py.tensors.get(name);
    expect(p, name).toBeDefined();
    const a = t.data as Float32Array;
    const b = p!.data as Float32Array;
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(a[i]));
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    // float32 rounding of gradients, amplified where Adam divides small moments; a wrong update is ~1e-2 off.
    expect(diff, name).toBeLessThanOrEqual(2e-5 * scale);
    compared++;
  }
  expect(compared).toBeGreaterThan(10);
  expect(py.metadata.step).toBe(ts.metadata.step);
  expect(py.metadata.optimizerT).toBe(ts.metadata.optimizerT);
}

function firstStep(r: PyResult): Record<string, unknown> {
  expect(r.code, r.stderr).toBe(0);
  const s = r.events.find((e) => e.event === 'step');
  expect(s?.replayed).toBe(true);
  return s!;
}

// Generous: each test takes about 5-30 s on an idle 2-core machine, several times that when it is shared.
const SLOW = 240_000;

const relClose = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(Math.abs(b), 1e-3);

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

  it('refuses, with a message and nothing written: another format version (python and the core), another method, a weights file, a truncated file', async () => {
    const v3 = withMetadata(run.bundle, (m) => (m.format = 'cm-playground/run@3'));
    expect(() => peekRunFile(v3)).toThrow(/format version 3.*reads versions 1 and 2/);
    const meanflow = withMetadata(run.bundle, (m) => (m.config = JSON.stringify({ ...JSON.parse(m.config), mode: 'meanflow' })));
    const weights = withMetadata(run.bundle, (m) => (m.format = 'cm-playground/weights@1'));
    const out = join(dir, 'never.safetensors');
    const [r, r2, r3, r4] = await Promise.all([
      continuePy(['--bundle', write(dir, 'v3.safetensors', v3), '--out', out]),
      continuePy(['--bundle', write(dir, 'mf.safetensors', meanflow), '--out', out]),
      continuePy(['--bundle', write(dir, 'w.safetensors', weights), '--out', out]),
      continuePy(['--bundle', write(dir, 'cut.safetensors', run.bundle.subarray(0, run.bundle.length - 100)), '--out', out]),
    ]);
    expect(r4.code).toBe(2);
    expect(r4.stderr).toMatch(/do not fit shape .* inside the file/);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/format version 3.*reads versions 1 and 2 only/);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/method "meanflow" is not supported by continue.py \(supported: cd, ct\)/);
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
