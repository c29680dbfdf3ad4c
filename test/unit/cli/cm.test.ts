// The cm command line, run as a user would (a child process), on tiny settings.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cm, expectTrainRefused, tempDir, tinyArgs } from './cmProcess';

const TINY = tinyArgs(300);
const tmp = () => tempDir('cm-test-');

describe('cm train: bad input', () => {
  it.each([
    [['--dataset', 'cats'], /--dataset: Dataset: "cats" is not one of/],
    [['--N', '1'], /--N: N: "1" must be an integer >= 2/],
    [['--mu', '1'], /--mu: .*must be a number >= 0 and < 1/],
    [['--lr', '0'], /--lr: .*> 0/],
    [['--batch-size', '-3'], /--batch-size: .*>= 1/],
    [['--batch-size', 'NaN'], /--batch-size: .*must be an integer/],
    [['--taus', '200'], /outside \[eps, T\]/],
    [['--data', '/nonexistent/points.csv'], /--data: cannot read/],
    [['--frobnicate', '3'], /unknown flag --frobnicate/],
  ])('%j exits 2 with a message and writes nothing', (args, message) => {
    expectTrainRefused(args as string[], message as RegExp, 'cm-test-');
  });

  it('an unreadable points file names the line', () => {
    const dir = tmp();
    const csv = join(dir, 'pts.csv');
    writeFileSync(csv, 'x,y\n1,2\n3,four\n');
    const r = cm(['train', '--out', join(dir, 'run'), '--data', csv, '--steps', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 3: expected "x,y"/);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });
});

describe('cm train, sample and eval', () => {
  it('trains CD on user points and writes every output in the data\'s own coordinates', () => {
    const dir = tmp();
    const csv = join(dir, 'pts.csv');
    // Two clusters far from the origin: normalised coordinates would be near 0, data coordinates near 100.
    const lines = ['x,y'];
    for (let i = 0; i < 50; i++) lines.push(`${100 + Math.cos(i) * 0.5},${100 + Math.sin(i)}`, `${104 + Math.sin(i)},${100 + Math.cos(i) * 0.5}`);
    writeFileSync(csv, lines.join('\n'));
    const out = join(dir, 'run');
    const r = cm(['train', '--out', out, '--data', csv, '--mode', 'cd', '--solver', 'euler', '--steps', '30', '--eval-every', '10', '--seed', '3', ...TINY]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    for (const f of ['config.json', 'metrics.jsonl', 'samples-1step.csv', 'samples-2step.csv', 'samples-1step.png', 'summary.json', 'run.safetensors']) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ dataset: 'custom', mode: 'cd', solver: 'euler', steps: 30, seed: 3, N: 18 });
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics).toHaveLength(30);
    expect(metrics[9]).toMatchObject({ step: 10, N: 18, mu: 0.9 }); // the default target decay
    expect(metrics[9].swd1).toBeGreaterThan(0);
    expect(metrics[8].swd1).toBeUndefined();
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ steps: 30, backend: 'wasm' });
    for (const k of ['seconds', 'swd1', 'swd2', 'swdTeacher']) expect(Number.isFinite(summary[k])).toBe(true);
    const pts = readFileSync(join(out, 'samples-1step.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
    expect(pts).toHaveLength(300);
    const meanX = pts.reduce((a, p) => a + p[0], 0) / pts.length;
    expect(meanX).toBeGreaterThan(90);
    expect(meanX).toBeLessThan(115);

    // sample and eval work on the saved run
    const sampled = join(dir, 'sampled');
    const s = cm(['sample', '--run', out, '--out', sampled, '--count', '100', '--taus', '1.5,0.3']);
    expect(s.code).toBe(0);
    expect(readFileSync(join(sampled, 'samples-3step.csv'), 'utf8').trim().split('\n')).toHaveLength(100);
    const e = cm(['eval', '--run', out, '--count', '200']);
    expect(e.code).toBe(0);
    const q = JSON.parse(e.stdout.trim());
    expect(q.swd1).toBeCloseTo(summary.swd1, 1);
    expect(cm(['sample', '--run', out, '--out', join(dir, 's2'), '--width', '32']).code).toBe(2);
  });

  it('refuses to overwrite a non-empty output directory', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    const r = cm(['train', '--out', dir, '--steps', '2', ...TINY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty/);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
  });
});

describe('cm flags', () => {
  it('accepts --model tiny as the test-sized U-Net and applies the MNIST defaults', async () => {
    const { parseArgs, resolveConfig } = await import('../../../src/cli/args');
    const parsed = parseArgs(['train', '--dataset', 'mnist', '--model', 'tiny', '--mode', 'cd']);
    const config = resolveConfig(parsed.config);
    expect(config).toMatchObject({ model: 'unet-tiny', batchSize: 64, teacher: 'learned' });
    expect(resolveConfig(parseArgs(['train', '--dataset', 'mnist']).config)).toMatchObject({ model: 'unet-large', teacher: 'pretrained' });
    expect(() => resolveConfig(parseArgs(['train', '--dataset', 'mnist', '--model', 'tiny', '--teacher', 'pretrained']).config)).toThrow(/pretrained teachers are "unet" or "unet-large"/);
    expect(resolveConfig(parseArgs(['train', '--dataset', 'mnist', '--model', 'unet']).config)).toMatchObject({ model: 'unet', teacher: 'pretrained' });
  });
});
