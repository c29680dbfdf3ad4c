import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../../core/config';
import type { DistanceFn } from '../../core/cm/distance';
import { parsePointsCsv } from '../../core/data/dataset2d';
import { SessionError, TrainingSession, type SessionResources } from '../../core/run/session';
import { initNodeBackend } from '../nodeBackend';
import { loadImageResources } from '../imageResources';
import { UsageError, type ParsedArgs } from '../args';

/** --out must be new or empty (or --force): checked before anything is written. */
export function checkOutDir(args: ParsedArgs): string {
  const out = args.flags.out;
  if (typeof out !== 'string' || out === '') throw new UsageError('--out DIR is required');
  const dir = resolve(out);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--out: ${out} exists and is not a directory`);
    if (readdirSync(dir).length > 0 && !args.flags.force) throw new UsageError(`--out: ${out} is not empty (use --force to write into it)`);
  }
  return dir;
}

export function readPointsFlag(args: ParsedArgs): Float64Array | undefined {
  const file = args.flags.data;
  if (file === undefined) return undefined;
  if (typeof file !== 'string') throw new UsageError('--data needs a file');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--data: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return parsePointsCsv(text);
  } catch (e) {
    throw new UsageError(`--data: ${file}: ${(e as Error).message}`);
  }
}

export function intFlag(args: ParsedArgs, name: 'count' | 'eval-count', fallback: number, max = 1_000_000): number {
  const raw = args.flags[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1 || v > max) throw new UsageError(`--${name}: "${raw}" must be an integer >= 1 and <= ${max}`);
  return v;
}

/** Stands in for LPIPS when a saved LPIPS run is only sampled or evaluated (the metric is never called then). */
const lpipsNotLoaded: DistanceFn = () => {
  throw new UsageError('this command needs the LPIPS weights (--lpips-weights)');
};

export interface OpenOptions {
  evalCount: number;
  /** --mnist-asset */
  assetPath?: string;
  /** Builds the LPIPS metric once the backend is up (its tensors must live on that backend). */
  lpips?: () => DistanceFn;
}

export async function openSession(config: Config, resources: SessionResources, options: OpenOptions) {
  const { evalCount, assetPath, lpips } = options;
  const image = config.dataset === 'mnist';
  const { backend, note } = await initNodeBackend(config.backend);
  if (note) process.stderr.write(`cm: ${note}\n`);
  const all = image ? { ...loadImageResources(config, assetPath, Math.min(evalCount, 500)), ...resources } : resources;
  if (config.metric === 'lpips') all.lpips = lpips ? lpips() : lpipsNotLoaded;
  try {
    return { session: new TrainingSession(config, all, image ? Math.min(evalCount, 500) : evalCount), backend };
  } catch (e) {
    if (e instanceof SessionError && e.code === 'invalid-config') throw new UsageError(e.message);
    throw e;
  }
}

/** --run DIR or FILE -> the run file's path. */
export function runFilePath(args: ParsedArgs): string {
  const run = args.flags.run;
  if (typeof run !== 'string') throw new UsageError('--run DIR (a directory written by "cm train") is required');
  const p = existsSync(run) && statSync(run).isDirectory() ? join(run, 'run.safetensors') : run;
  if (!existsSync(p)) throw new UsageError(`--run: ${p} does not exist`);
  return p;
}
