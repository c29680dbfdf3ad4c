// Checks on what a run file's metadata and tensors claim, before anything is restored from them: a file
// that is not what it says ends in a RunFileError naming the problem, never in a half-restored run.
import type { HostTensor } from '../io/tensor';

export class RunFileError extends Error {
  override name = 'RunFileError';
}

/** A JSON object (not null, not an array) from a metadata entry, or a RunFileError naming the entry. */
export function jsonObject(text: string | undefined, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text ?? '');
  } catch {
    throw new RunFileError(`the file has an unreadable ${what}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RunFileError(`the file's ${what} is not a JSON object`);
  return v as Record<string, unknown>;
}

/** A counter (step, optimiser t): absent means 0; anything but a non-negative integer is refused. */
export function counter(text: string | undefined, what: string): number {
  if (text === undefined) return 0;
  const v = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(v)) throw new RunFileError(`the file's ${what} "${text.slice(0, 20)}" is not a non-negative integer`);
  return v;
}

const RNG_WORDS = 5;

/** The two RNG streams (sfc32's four words and a spare normal, or both empty when the file has none). */
export function rngState(text: string | undefined): { data: number[]; train: number[] } {
  if (text === undefined) return { data: [], train: [] };
  const raw = jsonObject(text, 'random-number state ("rng")');
  const stream = (s: unknown, name: string): number[] => {
    if (!Array.isArray(s)) throw new RunFileError(`the file's random-number state has no "${name}" list`);
    if (s.length === 0) return [];
    if (s.length !== RNG_WORDS) throw new RunFileError(`the file's random-number state "${name}" has ${s.length} values, not ${RNG_WORDS}`);
    const v = s.map(Number);
    const wordsOk = v.slice(0, 4).every((w) => Number.isInteger(w) && w >= -(2 ** 31) && w < 2 ** 32);
    if (!wordsOk || !(Number.isNaN(v[4]) || Number.isFinite(v[4]))) throw new RunFileError(`the file's random-number state "${name}" is not a valid generator state`);
    return v;
  };
  const data = stream(raw.data, 'data');
  const train = stream(raw.train, 'train');
  if (data.length !== train.length) throw new RunFileError("the file's random-number state has one stream but not the other");
  return { data, train };
}

/** Refuses NaN and Inf: restoring them would only diverge (the file is from a run that had already failed). */
export function checkFinite(t: HostTensor, name: string): void {
  let bad = 0;
  for (let i = 0; i < t.data.length; i++) if (!Number.isFinite(Number(t.data[i]))) bad++;
  if (bad) throw new RunFileError(`"${name}" holds ${bad} non-finite value${bad === 1 ? '' : 's'} (NaN or Inf); the file is from a diverged run or damaged`);
}
