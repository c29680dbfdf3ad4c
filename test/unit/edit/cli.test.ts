// `cm edit` run as a user would (a child process) on a tiny untrained 2D run written in-process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/cli/args';
import { TrainingSession } from '../../../src/core/run/session';

let runDir = '';
const tmp = () => mkdtempSync(join(tmpdir(), 'cm-edit-test-'));

function cm(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cm.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  const config = resolveConfig({ dataset: 'moons', mode: 'cd', teacher: 'exact', width: 16, depth: 1, timeFeatures: 8, backend: 'cpu' });
  const session = new TrainingSession(config, {}, 50);
  runDir = tmp();
  writeFileSync(join(runDir, 'run.safetensors'), await session.exportRunFile());
  session.dispose();
});

describe('cm edit on a 2D run', () => {
  it.each([
    [['--task', 'inpaint', '--fix', 'x=0.5', '--t1', '100'], /t_1 = 100 is outside \[eps, T\] = \[0.002, 80\]/],
    [['--task', 'superres'], /"superres" is not a 2D edit \(inpaint\|project\)/],
  ])('%j exits 2 with a clear message and writes nothing', (args, message) => {
    const out = join(tmp(), 'edit');
    const r = cm(['edit', '--run', runDir, '--out', out, ...(args as string[])]);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('inpaint --fix x=0.3 writes scatter PNGs, CSVs and edit.json, every sample on x = 0.3', () => {
    const out = join(tmp(), 'edit');
    const r = cm(['edit', '--run', runDir, '--out', out, '--task', 'inpaint', '--fix', 'x=0.3', '--times', '80,1', '--count', '100']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'edit.json'), 'utf8'));
    expect(summary.times).toEqual([80, 1]);
    expect(summary.files).toEqual(['step-1.png', 'step-1.csv', 'step-2.png', 'step-2.csv', 'along-line.png', 'edit.json']);
    for (const f of summary.files) expect(existsSync(join(out, f))).toBe(true);
    const rows = readFileSync(join(out, 'step-2.csv'), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(100);
    for (const row of rows) expect(Number(row.split(',')[0])).toBeCloseTo(0.3, 5);
    expect(summary.keptMaxAbsError).toBeLessThan(1e-5);
  });
});
