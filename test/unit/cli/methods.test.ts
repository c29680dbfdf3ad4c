// The method axis on the command line: every built method trains, writes its files, samples and evaluates
// (with the flow-map error); methods not built yet and bad combinations exit 2 and write nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHOD_IDS, METHOD_INFO } from '../../../src/core/methods/settings/index';

const TINY = ['--width', '16', '--depth', '2', '--time-features', '8', '--batch-size', '32', '--eval-count', '200', '--count', '300', '--quiet'];

function cm(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cm.ts', ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'cm-methods-'));
// sCD, sCT and MeanFlow have their own CLI runs (continuousMethods.test.ts); here the rest of the axis.
const generic = METHOD_IDS.filter((id) => id !== 'cd' && id !== 'ct');
const mine = new Set(['ect', 'shortcut', 'flow']);

describe('cm train --mode <method>', () => {
  it.each(generic.filter((id) => METHOD_INFO[id].available && mine.has(id)))('%s trains on moons, writes its files, samples and evaluates', (mode) => {
    const dir = tmp();
    const out = join(dir, 'run');
    const extra = mode === 'ect' ? ['--ect-prefit-steps', '8'] : [];
    const r = cm(['train', '--out', out, '--mode', mode, '--steps', '16', '--eval-every', '8', '--seed', '2', ...extra, ...TINY]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    // Two sample sets: one step and the second budget (2 network evaluations for every method here).
    for (const f of ['config.json', 'metrics.jsonl', 'samples-1step.csv', 'samples-2step.csv', 'samples-1step.png', 'summary.json', 'run.safetensors']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).mode).toBe(mode);
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics).toHaveLength(16);
    expect(metrics.every((m) => Number.isFinite(m.loss))).toBe(true);
    expect(Number.isFinite(metrics[7].fme1)).toBe(true); // the flow-map error at each evaluation

    const e = cm(['eval', '--run', out, '--count', '200']);
    expect(e.code).toBe(0);
    const q = JSON.parse(e.stdout.trim());
    for (const k of ['swd1', 'swd2', 'fme1', 'fmeMean']) expect(Number.isFinite(q[k]), k).toBe(true);
    const s = cm(['sample', '--run', out, '--out', join(dir, 'sampled'), '--count', '50']);
    expect(s.code).toBe(0);
    expect(readFileSync(join(dir, 'sampled', 'samples-1step.csv'), 'utf8').trim().split('\n')).toHaveLength(50);
  }, 240_000);

  it.each(generic.filter((id) => !METHOD_INFO[id].available))('%s (not built yet) exits 2 and writes nothing', (mode) => {
    const out = join(tmp(), 'run');
    const r = cm(['train', '--out', out, '--mode', mode, '--steps', '5', ...TINY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not available yet/);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [['--mode', 'shortcut', '--shortcut-m', '100'], /Shortcut M \(100\) must be a power of two/],
    [['--mode', 'shortcut', '--shortcut-m', '2', '--taus', '1,0.5'], /more than M = 2/],
    [['--mode', 'ect', '--dataset', 'mnist', '--teacher', 'exact'], /no exact teacher exists for mnist/],
    [['--mode', 'ect', '--ect-q', '1'], /ECT q: "1" must be a number > 1/],
    [['--mode', 'flow', '--flow-time-sampling', 'beta'], /is not one of uniform, logit-normal/],
  ])('%j exits 2 with a message and writes nothing', (args, message) => {
    const out = join(tmp(), 'run');
    const r = cm(['train', '--out', out, '--steps', '5', ...(args as string[])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(existsSync(out)).toBe(false);
  });
});
