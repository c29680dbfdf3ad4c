// The method axis on the command line: every built method trains, writes its files, samples and evaluates
// (with the flow-map error); methods not built yet and bad combinations exit 2 and write nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHOD_IDS, METHOD_INFO } from '../../../src/core/methods/settings/index';
import { cm, expectEvalAndSample, expectTrainRefused, tempDir, tinyArgs } from './cmProcess';

const TINY = tinyArgs(300);
const tmp = () => tempDir('cm-methods-');
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

    expectEvalAndSample(out, dir);
  }, 240_000);

  it.each(generic.filter((id) => !METHOD_INFO[id].available))('%s (not built yet) exits 2 and writes nothing', (mode) => {
    expectTrainRefused(['--mode', mode, ...TINY], /is not available yet/, 'cm-methods-');
  });

  it.each([
    [['--mode', 'shortcut', '--shortcut-m', '100'], /Shortcut M \(100\) must be a power of two/],
    [['--mode', 'shortcut', '--shortcut-m', '2', '--taus', '1,0.5'], /more than M = 2/],
    [['--mode', 'ect', '--dataset', 'mnist', '--teacher', 'exact'], /no exact teacher exists for mnist/],
    [['--mode', 'ect', '--ect-q', '1'], /ECT q: "1" must be a number > 1/],
    [['--mode', 'flow', '--flow-time-sampling', 'beta'], /is not one of uniform, logit-normal/],
  ])('%j exits 2 with a message and writes nothing', (args, message) => {
    expectTrainRefused(args as string[], message as RegExp, 'cm-methods-');
  });
});
