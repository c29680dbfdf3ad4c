// Flags and constants shared by the image and 2D parts of `cm edit`.
import { editTimes, validateEditTimes, type EditRange } from '../../core/edit/index';
import { UsageError, type ParsedArgs } from '../args';

export const IMAGE_TASKS = ['inpaint', 'superres', 'denoise', 'interpolate', 'stroke'] as const;
export const TASKS_2D = ['inpaint', 'project'] as const;
export const SIDE = 28;
export const DEFAULT_STEPS = 4;
// 2D steps are cheap, and replacement needs several low-noise steps to pull samples onto the conditional.
export const DEFAULT_STEPS_2D = 10;
export const STROKE_T1 = 4;

export type Files = Map<string, Uint8Array | string>;


export function stringFlag(args: ParsedArgs, name: 'task' | 'mask' | 'times' | 'seeds' | 'image' | 'fix' | 'mnist-asset' | 't1' | 'sigma' | 'factor' | 'index' | 'angle' | 'value'): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function numberFlag(args: ParsedArgs, name: 't1' | 'sigma' | 'angle' | 'value', fallback: number): number {
  const raw = stringFlag(args, name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name}: "${raw}" is not a number`);
  return v;
}

export function numberList(raw: string, name: string): number[] {
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (raw.trim() === '' || values.some((v) => !Number.isFinite(v))) throw new UsageError(`--${name}: "${raw}" must be comma-separated numbers`);
  return values;
}

/** --times (all of them) or --t1 (then a Karras grid down to eps); validated against [eps, T]. */
export function editTimesFlag(args: ParsedArgs, range: EditRange, rho: number, defaultT1: number, steps = DEFAULT_STEPS): number[] {
  const list = stringFlag(args, 'times');
  let times: number[];
  if (list !== undefined) {
    if (stringFlag(args, 't1') !== undefined) throw new UsageError('give either --t1 or --times (the first of --times is t_1)');
    times = numberList(list, 'times');
  } else {
    const t1 = numberFlag(args, 't1', defaultT1);
    validateEditTimes([t1], range);
    times = t1 === range.eps ? [t1] : editTimes(t1, steps, { eps: range.eps, rho });
  }
  validateEditTimes(times, range);
  return times;
}

export function seedsFlag(args: ParsedArgs, fallback: number[]): number[] {
  const raw = stringFlag(args, 'seeds');
  if (raw === undefined) return fallback;
  const seeds = numberList(raw, 'seeds');
  if (seeds.some((s) => !Number.isInteger(s) || s < 0 || s > 0xffffffff)) throw new UsageError(`--seeds: "${raw}" must be non-negative integers`);
  return seeds;
}
