// The cm command line run as a user would (a child process), for the CLI tests: tiny settings, a fresh
// folder, and the checks several tests make the same way (a refused command; eval and sample of a run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

/** A 16-wide, 2-deep MLP on small batches: a run of a few dozen steps takes seconds. */
export function tinyArgs(count: number): string[] {
  return ['--width', '16', '--depth', '2', '--time-features', '8', '--batch-size', '32', '--eval-count', '200', '--count', String(count), '--quiet'];
}

export function cm(args: string[], timeoutMs = 180_000): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cm.ts', ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** `cm train <args>` exits 2 with `message` on stderr and leaves its --out folder unmade. */
export function expectTrainRefused(args: string[], message: RegExp, prefix: string): void {
  const out = join(tempDir(prefix), 'run');
  const r = cm(['train', '--out', out, '--steps', '5', ...args]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(existsSync(out)).toBe(false);
}

/** `cm eval` of a finished run gives finite SWD and flow-map errors; `cm sample` writes 50 points into dir/sampled. */
export function expectEvalAndSample(run: string, dir: string): void {
  const e = cm(['eval', '--run', run, '--count', '200']);
  expect(e.code).toBe(0);
  const q = JSON.parse(e.stdout.trim());
  for (const k of ['swd1', 'swd2', 'fme1', 'fmeMean']) expect(Number.isFinite(q[k]), k).toBe(true);
  const s = cm(['sample', '--run', run, '--out', join(dir, 'sampled'), '--count', '50']);
  expect(s.code).toBe(0);
  expect(readFileSync(join(dir, 'sampled', 'samples-1step.csv'), 'utf8').trim().split('\n')).toHaveLength(50);
}
