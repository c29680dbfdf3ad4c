// sCD, sCT and MeanFlow on the command line: sCD past its diffusion pre-training (so the JVP, the tangent and
// the exact teacher's velocity all run) writes its files; bad combinations of their settings exit 2 and write nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TINY = ['--width', '16', '--depth', '2', '--time-features', '8', '--batch-size', '32', '--eval-count', '200', '--count', '200', '--quiet'];

function cm(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cm.ts', ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'cm-continuous-'));

describe('cm train with the continuous-time methods', () => {
  it('sCD with the exact teacher trains past its pre-training and writes its files', () => {
    const out = join(tmp(), 'run');
    const r = cm(['train', '--out', out, '--mode', 'scd', '--scm-pretrain', '4', '--scm-warmup', '4', '--steps', '12', '--eval-every', '12', '--seed', '3', ...TINY]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    for (const f of ['config.json', 'metrics.jsonl', 'samples-1step.csv', 'samples-2step.csv', 'summary.json', 'run.safetensors']) expect(existsSync(join(out, f)), f).toBe(true);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect([config.mode, config.scmPretrain, config.jvpRoute]).toEqual(['scd', 4, 'auto']);
    const losses = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).loss as number);
    expect(losses).toHaveLength(12);
    expect(losses.every(Number.isFinite)).toBe(true);
    // After the pre-training the loss is |F - F^- - g|^2 / D with |g| / (|g| + c) < 1: at most 1/2 per coordinate.
    expect(Math.max(...losses.slice(5))).toBeLessThan(0.5);
  }, 300_000);

  it.each([
    [['--mode', 'meanflow', '--mf-ratio', '1.5'], /MeanFlow P\(r != t\): "1\.5" must be a number >= 0 and <= 1/],
    [['--mode', 'sct', '--sigma-data', '0.3'], /sCT\/sCD convert TrigFlow time to EDM sigma with sigma_d = 0\.5/],
    [['--mode', 'meanflow', '--dataset', 'mnist', '--model', 'unet-tiny', '--teacher', 'learned', '--jvp-route', 'exact'], /the exact route \(double VJP\) needs the MLP/],
    [['--mode', 'sct', '--jvp-route', 'forward'], /is not one of auto, exact, fd/],
  ])('%j exits 2 with a message and writes nothing', (args, message) => {
    const out = join(tmp(), 'run');
    const r = cm(['train', '--out', out, '--steps', '5', ...(args as string[])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(existsSync(out)).toBe(false);
  });
});
