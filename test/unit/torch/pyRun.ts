// What the PyTorch script tests share: Debian's python3-torch (skipped with a warning where it is missing),
// running train.py's subcommands, running continue.py on one process or under torchrun, and comparing its
// output with the TypeScript core's.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { readSafetensors } from '../../../src/core/io/safetensors';

export const PYTHON = '/usr/bin/python3';
export const CONTINUE = 'scripts/torch/continue.py';

function torchMissingReason(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return `${PYTHON} cannot run (${r.error.message})`;
  return r.status === 0 ? null : `${PYTHON} has no torch (${r.stderr.trim().split('\n').pop()})`;
}
export const missing = torchMissingReason();
if (missing) console.warn(`SKIPPED the continue.py tests (test/unit/torch): ${missing}. Install python3-torch libopenblas0-pthread (.ci/run does).`);
export const suite = missing ? describe.skip : describe;

const scratch: string[] = [];
/** A fresh scratch folder, removed when the test file ends (each file imports this module afresh). */
export function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cm-continue-'));
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `python3 scripts/torch/<args>` on one thread, synchronously (train.py's subcommands). */
export const trainPy = (args: string[]) =>
  spawnSync(PYTHON, args, { cwd: 'scripts/torch', encoding: 'utf8', timeout: 300_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });

/** A one-step `large` (three-level) teacher in `dir`, for runs that must take a teacher's architecture; its path. */
export function oneStepLargeTeacher(dir: string): string {
  const teacher = join(dir, 'teacher-large.safetensors');
  const made = trainPy(['train.py', 'teacher', '--model', 'large', '--steps', '1', '--batch', '4', '--save-every', '0', '--out', teacher,
    '--state', join(dir, 'teacher-large.state.safetensors')]);
  expect(made.status, made.stderr).toBe(0);
  return teacher;
}

export interface PyResult { code: number | null; stderr: string; events: Array<Record<string, unknown>> }

/**
 * continue.py on one process, or on `world` processes through torchrun (gloo on the CPU). Asynchronous, so
 * independent runs overlap their start-up (importing torch, the rendezvous) on a 2-core machine.
 */
export async function continuePy(args: string[], world = 1): Promise<PyResult> {
  // torchrun runs one at a time across all test files (they run in parallel workers): two gloo jobs starting
  // together on 2 busy cores once left a rank waiting past every timeout in CI.
  const release = world > 1 ? await torchrunLock() : () => {};
  try {
    // A free port of our own: --standalone always takes 29400, so two runs at once would meet in one rendezvous.
    // torch 1.13 under Python 3.11 cannot parse torchrun's default --redirects/--tee "0"; 2 (stderr) works.
    const launcher = world > 1
      ? ['-m', 'torch.distributed.run', '--nnodes=1', `--nproc_per_node=${world}`, '--master_addr=127.0.0.1', `--master_port=${await freePort()}`, '--redirects', '2', '--tee', '2']
      : [];
    const r = await runPython([...launcher, CONTINUE, '--json', '--threads', '1', '--dist-timeout', '150', ...args]);
    const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    return { code: r.code, stderr: r.stderr, events };
  } finally {
    release();
  }
}

/**
 * Runs Debian's python on one thread and collects its output. Its own process group, so a timeout (170 s)
 * kills torchrun's ranks too: killing the launcher alone left them holding the pipes open, and a test hung until
 * vitest's timeout with nothing said.
 */
export function runPython(argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(PYTHON, argv, { env: { ...process.env, OMP_NUM_THREADS: '1' }, detached: true });
  let stdout = '';
  let stderr = '';
  let killed = false;
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  const timer = setTimeout(() => {
    killed = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, 170_000);
  return new Promise((done) => child.on('close', (code) => {
    clearTimeout(timer);
    done({ code, stdout, stderr: killed ? `python killed after 170 s: ${argv.slice(0, 4).join(' ')}\n${stderr}` : stderr });
  }));
}

/** A lock directory shared by the test workers; a holder that died more than 5 minutes ago is broken in on. */
async function torchrunLock(): Promise<() => void> {
  const dir = join(tmpdir(), 'cm-torchrun.lock');
  for (;;) {
    try {
      mkdirSync(dir);
      return () => rmSync(dir, { recursive: true, force: true });
    } catch {
      try {
        if (Date.now() - statSync(dir).mtimeMs > 300_000) rmSync(dir, { recursive: true, force: true });
      } catch {
        // it went away meanwhile: try again
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

export function write(dir: string, name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Every weight, target, EMA and Adam moment of python's bundle equals ours to float32 rounding. */
export function expectSameState(pyBundle: Uint8Array, tsBundle: Uint8Array): void {
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
    // float32 rounding of gradients, amplified where Adam divides small moments (2.4e-5 seen on a U-Net bias
    // whose gradient sums many cancelling terms, with the fused GroupNorm's summation order); a wrong update is
    // ~1e-2 off.
    expect(diff, name).toBeLessThanOrEqual(1e-4 * scale);
    compared++;
  }
  expect(compared).toBeGreaterThan(10);
  expect(py.metadata.step).toBe(ts.metadata.step);
  expect(py.metadata.optimizerT).toBe(ts.metadata.optimizerT);
}

export function firstStep(r: PyResult): Record<string, unknown> {
  expect(r.code, r.stderr).toBe(0);
  const s = r.events.find((e) => e.event === 'step');
  expect(s?.replayed).toBe(true);
  return s!;
}

// Generous: each test takes about 5-30 s on an idle 2-core machine, several times that when it is shared.
export const SLOW = 240_000;

export const relClose = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(Math.abs(b), 1e-3);
