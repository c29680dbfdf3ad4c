// The real-GPU measurement (scripts/gpu) is bundled as it is packed and run under this Node on the cpu backend
// at tiny sizes: the bundle builds, imports the core, trains every row and prints the JSON the bench reads. A
// GPU run differs only in the backend (webgpu over dawn.node), which needs a device this machine lacks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleMeasure } from '../../../scripts/gpu/bundle';
import { GOALS, SCHEMA, type RealGpuResult } from '../../../scripts/gpu/results';

const TINY = ['--mlp-batch=16', '--width=16', '--depth=2', '--unet-model=unet-tiny', '--unet-batch=1', '--warmup=1', '--seconds=0.05', '--max-steps=8', '--synced-steps=1'];

describe('scripts/gpu measure bundle', () => {
  let dir: string;
  let bundle: string;
  const run = (args: string[]) => spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8', timeout: 90_000 });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gpu-measure-'));
    bundle = join(dir, 'measure.mjs');
    await bundleMeasure(bundle);
  });

  it('runs the CT, CD-Heun and U-Net rows on the cpu backend and writes the JSON it prints', () => {
    const file = join(dir, 'out.json');
    const r = run(['--backend=cpu', ...TINY, `--out=${file}`]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as RealGpuResult;
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(out);
    expect(out).toMatchObject({ schema: SCHEMA, ok: true, backend: 'cpu', adapter: null, timestampQuery: false, errors: [] });
    expect(out.rows.map((row) => [row.name, row.model, row.batch, row.status])).toEqual([
      ['mlp CT fused', 'mlp 2x16', 16, 'ok'],
      ['mlp CD-Heun fused', 'mlp 2x16', 16, 'ok'],
      ['mlp CT plain-op', 'mlp 2x16', 16, 'skipped'], // a webgpu-only comparison
      ['unet CT', 'unet-tiny', 1, 'ok'],
    ]);
    for (const row of out.rows.filter((x) => x.status === 'ok')) {
      expect(row.timedSteps).toBe(8);
      expect(row.stepsPerSecond).toBeGreaterThan(0);
      expect(row.syncedMedianMs).toBeGreaterThan(0);
      expect(row.lossFirst).toBeGreaterThan(0);
      expect(Number.isFinite(row.lossLast)).toBe(true);
      // Dispatches and GPU time exist on webgpu only.
      expect(row).toMatchObject({ dispatchesPerStep: null, wallMsPerDispatch: null, gpuMsPerStep: null, gpuTimeNote: 'not a webgpu backend' });
    }
    // Not a GPU: the goals stay empty.
    expect(out.goals).toEqual({ realGpuCtStepsPerSecond: null, realGpuUnetStepsPerSecond: null, targets: GOALS });
  });

  it('refuses bad arguments with a clear message and exit code 2', () => {
    for (const [args, msg] of [
      [['--backend=cuda'], '--backend must be webgpu or cpu'],
      [['--backend=webgpu'], '--backend=webgpu needs --dawn=PATH'],
      [['--backend=cpu', '--mlp-batch=0'], '--mlp-batch must be an integer'],
      [['--backend=cpu', '--sections=mlp,gan'], '--sections takes mlp and/or unet'],
      [['--backend=cpu', '--out=a.json', '--out-dir=b'], 'not both'],
    ] as const) {
      const r = run([...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(msg);
      expect(r.stdout).toBe('');
    }
  });
});
