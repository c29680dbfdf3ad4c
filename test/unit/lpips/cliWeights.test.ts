// --lpips-weights in the CLI: a directory scanned by content and checksum (never by name), comma-separated
// files, clear usage errors; and `cm train --metric lpips` end to end on MNIST with synthetic weights
// (always) and with the real weights in ../shared/lpips (skipped, with the reason, when absent).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/args';
import { loadLpipsForRun } from '../../../src/cli/lpipsNode';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { syntheticWeightFiles } from '../../../src/core/lpips/synthetic';
import { sharedLpipsDir } from './sharedData';

const run: Config = { ...DEFAULTS, dataset: 'mnist', model: 'unet-tiny', mode: 'ct', metric: 'lpips', lpipsNet: 'squeeze', lpipsResolution: '28', batchSize: 2 };
const shared = sharedLpipsDir();

/** Synthetic squeeze weights under misleading names, next to files that are not weights at all. */
function syntheticDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lpips-weights-'));
  const sq = syntheticWeightFiles('squeeze');
  mkdirSync(join(dir, 'nested'));
  writeFileSync(join(dir, 'README.md'), '# not weights\n');
  writeFileSync(join(dir, 'alex.pth'), sq.lin); // named like AlexNet, holds SqueezeNet lin layers
  writeFileSync(join(dir, 'nested', 'weights.bin'), sq.backbone);
  writeFileSync(join(dir, 'nested', 'alex-lin.safetensors'), syntheticWeightFiles('alex').lin);
  writeFileSync(join(dir, 'image.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0, 0, 0, 0]));
  return dir;
}

function cm(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cm.ts', ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Tiny MNIST CT settings: few evaluation samples, few final samples. */
const TINY_MNIST = ['train', '--dataset', 'mnist', '--model', 'unet-tiny', '--mode', 'ct', '--metric', 'lpips', '--batch-size', '2',
  '--eval-count', '16', '--count', '4'];

describe('--lpips-weights', () => {
  it('finds lin and backbone in a directory by content, whatever their names, and passes over other files', async () => {
    const dir = syntheticDir();
    const l = await loadLpipsForRun(dir, run);
    expect(l.status.summary).toBe('LPIPS (squeeze) ready (unverified weights)');
    expect(l.describe).toEqual(['lin from alex.pth (unverified: unknown checksum)', 'backbone from nested/weights.bin (unverified: unknown checksum)']);
    expect(l.weights.lin.map((w) => w.length)).toEqual([64, 128, 256, 384, 384, 512, 512]);
  });

  it('takes comma-separated files, and says what is missing when a part is absent', async () => {
    const dir = syntheticDir();
    const both = await loadLpipsForRun(`${join(dir, 'alex.pth')},${join(dir, 'nested', 'weights.bin')}`, run);
    expect(both.status.missing).toEqual([]);
    await expect(loadLpipsForRun(join(dir, 'alex.pth'), run)).rejects.toThrow(/--lpips-weights: lin loaded \(squeeze\); backbone still needed/);
    await expect(loadLpipsForRun(undefined, run)).rejects.toThrow(UsageError);
    await expect(loadLpipsForRun(join(dir, 'nope'), run)).rejects.toThrow(/--lpips-weights: .*nope does not exist/);
    await expect(loadLpipsForRun(join(dir, 'README.md'), run)).rejects.toThrow(/no torch or safetensors files/);
  });

  it('refuses a resolution the backbone cannot take', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lpips-alex-'));
    const alex = syntheticWeightFiles('alex');
    writeFileSync(join(dir, 'a'), alex.lin);
    writeFileSync(join(dir, 'b'), alex.backbone);
    await expect(loadLpipsForRun(dir, { ...run, lpipsNet: 'alex' })).rejects.toThrow(/alex LPIPS needs a resolution of at least 31 px/);
  });

  it.skipIf(!shared.dir)('picks the verified SqueezeNet files out of ../shared/lpips (other backbones, fixtures, copies passed over)', async () => {
    const l = await loadLpipsForRun(shared.dir!, run);
    expect(l.status.verified).toBe(true);
    expect(l.describe[0]).toMatch(/^lin from .*\(verified: LPIPS v0.1 lin layers, SqueezeNet/);
    expect(l.describe[1]).toMatch(/^backbone from .*\(verified: /);
  });
  if (!shared.dir) it.skip(`real weights: ${shared.reason}`, () => undefined);
});

describe('cm train --metric lpips', () => {
  it('trains CT on MNIST with synthetic LPIPS weights from a directory, loss finite', () => {
    const dir = syntheticDir();
    const out = join(mkdtempSync(join(tmpdir(), 'cm-lpips-')), 'run');
    const r = cm([...TINY_MNIST, '--lpips-resolution', '28', '--lpips-weights', dir, '--steps', '1', '--out', out]);
    expect(r.stderr).toMatch(/LPIPS-squeeze at 28 px: lin from alex\.pth \(unverified/);
    expect(r.code).toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Config;
    expect(config.metric).toBe('lpips');
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { loss: number });
    expect(lines).toHaveLength(1);
    expect(Number.isFinite(lines[0].loss) && lines[0].loss > 0).toBe(true);
    expect(existsSync(join(out, 'run.safetensors'))).toBe(true);
  });

  it('exits 2 before writing anything when the weights are missing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cm-lpips-')), 'run');
    const r = cm([...TINY_MNIST, '--steps', '1', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--metric lpips needs --lpips-weights/);
    expect(existsSync(out)).toBe(false);
  });

  it.skipIf(!shared.dir)('trains 2 CT steps with the real weights in ../shared/lpips', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cm-lpips-')), 'run');
    const r = cm([...TINY_MNIST, '--lpips-weights', shared.dir!, '--steps', '2', '--out', out]);
    expect(r.stderr).toMatch(/LPIPS-squeeze at 64 px: lin from .*verified: LPIPS v0.1 lin layers, SqueezeNet/);
    expect(r.code).toBe(0);
    const losses = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { loss: number }).loss);
    expect(losses).toHaveLength(2);
    expect(losses.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
  });
});
