// continue.py with sCM's learned adaptive weight w_phi (scripts/torch/methodstep.py, method_params): a sCT
// and a sCD run exported from the TypeScript core after 12 steps (8 of them consistency steps, so w_phi has
// moved off 0) are continued one step in PyTorch, replaying the bundle's draws. Its first loss must equal our
// next step's to 1e-4, and w_phi, the network, the EMAs and Adam's moments after it must equal ours (w_phi
// travels as online|ema/wphi.* and as the tail of optimizer/m|v). The result loads back into the core.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { readSafetensors } from '../../../src/core/io/safetensors';
import { TrainingSession } from '../../../src/core/run/session';
import { exportAfter } from './bundleRun';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { timeout: 60_000 }).status === 0;
if (!hasTorch) console.warn(`SKIPPED continueScmWeight.test.ts: ${PYTHON} has no torch (install python3-torch)`);
const suite = hasTorch ? describe : describe.skip;

function continuePy(args: string[]): Promise<{ code: number | null; stderr: string; events: Array<Record<string, unknown>> }> {
  const child = spawn(PYTHON, ['scripts/torch/continue.py', '--json', '--threads', '1', ...args], { env: { ...process.env, OMP_NUM_THREADS: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
  return new Promise((done) => child.on('close', (code) => {
    clearTimeout(timer);
    done({ code, stderr, events: stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>) });
  }));
}

/** Every weight, EMA and Adam moment of python's bundle equals ours to float32 rounding (a wrong update is ~1e-2 off). */
function expectSameState(pyBundle: Uint8Array, tsBundle: Uint8Array): void {
  const py = readSafetensors(pyBundle);
  const ts = readSafetensors(tsBundle);
  for (const [name, t] of ts.tensors) {
    if (!/^(online|target|ema|optimizer)\//.test(name)) continue;
    const a = t.data as Float32Array;
    const b = py.tensors.get(name)?.data as Float32Array | undefined;
    expect(b, name).toBeDefined();
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(a[i]));
      diff = Math.max(diff, Math.abs(a[i] - b![i]));
    }
    expect(diff, name).toBeLessThanOrEqual(2e-5 * scale);
  }
}

const BASE: Partial<Config> = {
  dataset: 'moons', teacher: 'exact', width: 32, depth: 2, batchSize: 64, steps: 100, lr: 5e-3, gradClip: 1,
  scmPretrain: 4, scmWarmup: 10, jvpRoute: 'exact', scmAdaptiveWeight: 'learned',
};

suite('continue.py with the learned adaptive weight w_phi', () => {
  it.each(['sct', 'scd'] as const)('%s: the first continued step equals ours, w_phi included, and loads back', async (mode) => {
    const run = await exportAfter({ ...BASE, mode }, 12);
    const file = readSafetensors(run.bundle);
    expect(Number(file.tensors.get('online/wphi.bias')!.data[0])).not.toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'cm-wphi-'));
    const bundle = join(dir, 'in.safetensors');
    const out = join(dir, 'out.safetensors');
    writeFileSync(bundle, run.bundle);
    const r = await continuePy(['--bundle', bundle, '--out', out, '--steps', '1']);
    expect(r.code, r.stderr).toBe(0);
    const s = r.events.find((e) => e.event === 'step')!;
    expect(s.replayed).toBe(true);
    const loss = s.loss as number;
    expect(Math.abs(loss - run.nextLoss), `${loss} vs ${run.nextLoss}`).toBeLessThanOrEqual(1e-4 * Math.abs(run.nextLoss));
    const pyBytes = new Uint8Array(readFileSync(out));
    expectSameState(pyBytes, run.after);
    const back = new TrainingSession({ ...DEFAULTS, ...BASE, mode } as Config, {}, 20);
    await back.importRunFile(pyBytes);
    expect(back.step).toBe(13);
    expect((await back.trainer!.online.read()).at(-1)![0]).toBe(readSafetensors(pyBytes).tensors.get('online/wphi.bias')!.data[0]);
    back.dispose();
  }, 240_000);
});
