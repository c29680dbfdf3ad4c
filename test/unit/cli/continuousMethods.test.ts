// sCD, sCT and MeanFlow on the command line: each trains (sCM past its diffusion pre-training, so the JVP, the
// tangent and for sCD the exact teacher's velocity all run), writes its files and samples from its run file;
// bad combinations of their settings exit 2 and write nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cm, expectEvalAndSample, expectTrainRefused, tempDir, tinyArgs } from './cmProcess';

const TINY = tinyArgs(200);
const tmp = () => tempDir('cm-continuous-');

describe('cm train with the continuous-time methods', () => {
  it.each(['scd', 'sct', 'meanflow'])('%s trains (sCM past its pre-training), writes its files, evaluates (with the flow-map error) and samples', (mode) => {
    const dir = tmp();
    const out = join(dir, 'run');
    const r = cm(['train', '--out', out, '--mode', mode, '--scm-pretrain', '4', '--scm-warmup', '4', '--steps', '12', '--eval-every', '12', '--seed', '3', ...TINY], 240_000);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    for (const f of ['config.json', 'metrics.jsonl', 'samples-1step.csv', 'samples-2step.csv', 'summary.json', 'run.safetensors']) expect(existsSync(join(out, f)), f).toBe(true);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect([config.mode, config.jvpRoute]).toEqual([mode, 'auto']);
    const losses = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).loss as number);
    expect(losses).toHaveLength(12);
    expect(losses.every(Number.isFinite)).toBe(true);
    // sCM after its pre-training: the loss is |F - F^- - g|^2 / D with |g| / (|g| + c) < 1, so below 1/D = 0.5.
    if (mode !== 'meanflow') expect(Math.max(...losses.slice(5))).toBeLessThan(0.5);
    expectEvalAndSample(out, dir);
  }, 300_000);

  it.each([
    [['--mode', 'meanflow', '--mf-ratio', '1.5'], /MeanFlow P\(r != t\): "1\.5" must be a number >= 0 and <= 1/],
    [['--mode', 'sct', '--sigma-data', '0.3'], /sCT\/sCD convert TrigFlow time to EDM sigma with sigma_d = 0\.5/],
    [['--mode', 'meanflow', '--dataset', 'mnist', '--model', 'unet-tiny', '--teacher', 'learned', '--jvp-route', 'exact'], /the exact route \(double VJP\) needs the MLP/],
    [['--mode', 'sct', '--jvp-route', 'forward'], /is not one of auto, exact, fd/],
  ])('%j exits 2 with a message and writes nothing', (args, message) => {
    expectTrainRefused(args as string[], message as RegExp, 'cm-continuous-');
  });
});
