// The real-GPU numbers of the goals come from committed runs of scripts/gpu/run.sh
// (test/bench/results/realgpu-<gpu>.json): the newest file measured on a real GPU (not a fallback adapter)
// that carries them; null while none exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA, type RealGpuResult } from '../../../scripts/gpu/results';

export interface RealGpuGoals {
  file: string;
  gpu: string;
  ctStepsPerSecond: number | null;
  unetStepsPerSecond: number | null;
}

export function latestRealGpu(dir = 'test/bench/results'): RealGpuGoals | null {
  if (!existsSync(dir)) return null;
  const found: { r: RealGpuResult; file: string }[] = [];
  for (const name of readdirSync(dir).filter((f) => /^realgpu-.+\.json$/.test(f))) {
    let r: RealGpuResult;
    try {
      r = JSON.parse(readFileSync(join(dir, name), 'utf8')) as RealGpuResult;
    } catch {
      continue; // not JSON: not a result
    }
    const g = r.goals;
    if (r.schema !== SCHEMA || !r.adapter || r.adapter.isFallbackAdapter || !g) continue;
    if (g.realGpuCtStepsPerSecond === null && g.realGpuUnetStepsPerSecond === null) continue;
    found.push({ r, file: join(dir, name) });
  }
  const newest = found.sort((a, b) => b.r.date.localeCompare(a.r.date))[0];
  if (!newest) return null;
  const { r, file } = newest;
  return {
    file,
    gpu: r.gpuName ?? `${r.adapter!.vendor} ${r.adapter!.device}`,
    ctStepsPerSecond: r.goals.realGpuCtStepsPerSecond,
    unetStepsPerSecond: r.goals.realGpuUnetStepsPerSecond,
  };
}
