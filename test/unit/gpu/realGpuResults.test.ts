// Committed real-GPU results (test/bench/results/realgpu-<gpu>.json) feed the bench's goals: only a real GPU's
// (not a fallback adapter's) newest file counts, and its name comes from the GPU.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOALS, resultFileName, SCHEMA, type RealGpuResult } from '../../../scripts/gpu/results';
import { computeGoals } from '../../bench/lib/goals';
import { latestRealGpu } from '../../bench/lib/realGpu';

const adapter = (vendor: string, device: string, isFallbackAdapter: boolean) => ({
  vendor, architecture: '', device, description: '', isFallbackAdapter, features: [], limits: {},
});

function result(over: Partial<RealGpuResult>, ct: number | null, unet: number | null): RealGpuResult {
  return {
    schema: SCHEMA, date: '2026-12-01T00:00:00.000Z', ok: true, backend: 'webgpu', gpuName: 'NVIDIA H200', adapter: adapter('nvidia', 'h200', false),
    timestampQuery: true, runtime: { node: 'v20', platform: 'linux-x64', dawnOptions: [] }, args: {} as RealGpuResult['args'], rows: [],
    goals: { realGpuCtStepsPerSecond: ct, realGpuUnetStepsPerSecond: unet, targets: GOALS }, errors: [], seconds: 60, ...over,
  };
}

describe('real-GPU results', () => {
  it('names the file after the GPU, else the adapter, else the backend', () => {
    expect(resultFileName({ gpuName: 'NVIDIA H200', adapter: null, backend: 'webgpu' })).toBe('realgpu-nvidia-h200.json');
    expect(resultFileName({ gpuName: null, adapter: adapter('google', 'swiftshader-device-subzero-', true), backend: 'webgpu' }))
      .toBe('realgpu-google-swiftshader-device-subzero.json');
    expect(resultFileName({ gpuName: null, adapter: null, backend: 'cpu' })).toBe('realgpu-cpu.json');
  });

  it('the bench takes the newest real-GPU file and ignores fallback adapters, other schemas and broken files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'realgpu-'));
    expect(latestRealGpu(dir)).toBeNull();
    const put = (name: string, r: unknown) => writeFileSync(join(dir, name), typeof r === 'string' ? r : JSON.stringify(r));
    put('realgpu-old.json', result({ date: '2026-11-01T00:00:00.000Z', gpuName: 'Old GPU' }, 100, 5));
    put('realgpu-nvidia-h200.json', result({}, 812.5, 31.2));
    put('realgpu-soft.json', result({ date: '2027-01-01T00:00:00.000Z', adapter: adapter('google', 'swiftshader', true) }, 40, 1));
    put('realgpu-other.json', result({ date: '2027-01-01T00:00:00.000Z', schema: 'something/else@1' }, 1, 1));
    put('realgpu-broken.json', '{');
    put('realgpu-empty.json', result({ date: '2027-01-01T00:00:00.000Z' }, null, null)); // measured nothing at the default sizes
    const got = latestRealGpu(dir);
    expect(got).toEqual({ file: join(dir, 'realgpu-nvidia-h200.json'), gpu: 'NVIDIA H200', ctStepsPerSecond: 812.5, unetStepsPerSecond: 31.2 });
    const goals = computeGoals([], undefined, undefined, undefined, got);
    expect([goals.realGpuCtStepsPerSecond, goals.realGpuUnetStepsPerSecond]).toEqual([812.5, 31.2]);
    const none = computeGoals([], undefined, undefined, undefined, null);
    expect([none.realGpuCtStepsPerSecond, none.realGpuUnetStepsPerSecond]).toEqual([null, null]);
  });
});
