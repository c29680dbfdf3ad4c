// --lpips-weights for the CLI: a directory (scanned recursively, e.g. laid out like ../shared/lpips) or
// comma-separated files. Files are recognised by content and checksum, never by name; files for other
// backbones, test fixtures and non-weight files are passed over.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Config } from '../core/config';
import type { DistanceFn } from '../core/cm/distance';
import { detectWeightFormat, sha256Hex } from '../core/io/index';
import {
  createLpipsForConfig, KNOWN_LPIPS_FILES, loadLpipsWeights, lpipsConfigProblem, lpipsDistanceFn,
  type LpipsWeights, type LpipsWeightsStatus,
} from '../core/lpips/index';
import { UsageError } from './args';

/** Larger files are not weight files we know (VGG16's full checkpoint is about 528 MiB). */
const MAX_FILE_BYTES = 1024 ** 3;

export interface NodeLpips {
  status: LpipsWeightsStatus;
  weights: LpipsWeights;
  /** One line per part: which file it came from and whether its checksum is known. */
  describe: string[];
  /** Builds the metric; call after the tfjs backend is set (its tensors live there). */
  createDistance(): DistanceFn;
}

/** Paths named by the flag value: directories are walked (hidden entries skipped), files kept as given. */
export function lpipsWeightPaths(spec: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) out.push(p);
    }
  };
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const p = resolve(raw);
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new UsageError(`--lpips-weights: ${raw} does not exist`);
    }
    if (isDir) walk(p);
    else out.push(p);
  }
  return out;
}

/** Reads the weight files the flag names and assembles LPIPS for the run's backbone and resolution. */
export async function loadLpipsForRun(spec: string | true | undefined, c: Config): Promise<NodeLpips> {
  if (typeof spec !== 'string' || spec.trim() === '') {
    throw new UsageError('--metric lpips needs --lpips-weights <directory or comma-separated files> (lin layers and backbone, torch .pth or safetensors)');
  }
  const candidates: Array<{ path: string; bytes: Uint8Array; known: boolean }> = [];
  for (const path of lpipsWeightPaths(spec)) {
    if (statSync(path).size > MAX_FILE_BYTES) continue;
    const bytes = new Uint8Array(readFileSync(path));
    if (detectWeightFormat(bytes) === 'unknown') continue; // images, JSON, READMEs...
    candidates.push({ path, bytes, known: KNOWN_LPIPS_FILES[await sha256Hex(bytes)] !== undefined });
  }
  if (candidates.length === 0) throw new UsageError(`--lpips-weights: no torch or safetensors files found in ${spec}`);
  // Later files replace earlier ones in the assembly, so files with a known checksum go last and win.
  candidates.sort((a, b) => Number(a.known) - Number(b.known));
  const status = await loadLpipsWeights(candidates.map((f) => f.bytes), { net: c.lpipsNet });
  const first = resolve(spec.split(',')[0].trim());
  const base = statSync(first).isDirectory() ? first : dirname(first);
  const name = (i: number) => relative(base, candidates[i].path) || candidates[i].path;
  if (!status.weights) {
    const unusable = status.files.filter((f) => f.problem).map((f) => `  ${name(f.index)}: ${f.problem}`);
    throw new UsageError([`--lpips-weights: ${status.summary}`, ...unusable].join('\n'));
  }
  const problem = lpipsConfigProblem(status.weights, c);
  if (problem) throw new UsageError(`--lpips-resolution: ${problem}`);
  const weights = status.weights;
  const describe = (['lin', 'backbone'] as const).map((part) => {
    // The last file providing the part is the one in use.
    const used = [...status.files].reverse().find((f) => f.net === c.lpipsNet && f.provides.includes(part) && !f.problem);
    return `${part} from ${used ? name(used.index) : '?'} (${used?.verified ? `verified: ${used.knownAs}` : 'unverified: unknown checksum'})`;
  });
  return { status, weights, describe, createDistance: () => lpipsDistanceFn(createLpipsForConfig(weights, c)) };
}
