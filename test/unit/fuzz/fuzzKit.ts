// Shared pieces of the property-based fuzz tests: a fixed seed and a time/count budget per property,
// byte-level mutations of valid files, an allocation guard, and the one outcome every reader must have:
// a valid result or a typed error with a message — never a foreign exception, a hang or a huge allocation.
import fc from 'fast-check';
import { expect } from 'vitest';
import { concatBytes as concat } from '../../../src/core/io/bytes';

/** Override with FUZZ_SEED=<n> to explore further; a failure prints the seed and path to replay it. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261130);

/**
 * One property's budget: at most `numRuns` inputs, and it stops early (passing) after `ms`. The limits of all
 * properties add up to about 50 s; two test workers share them, so the set stays well under a minute.
 */
export function budget(numRuns: number, ms: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns, interruptAfterTimeLimit: ms, markInterruptAsFailure: false, includeErrorInReport: true };
}

/** A reader's error classes: anything else thrown from it (TypeError, RangeError, ...) fails the test. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** Longest a single input may take; a reader that loops on crafted input fails here rather than hanging CI. */
const MAX_MS_PER_INPUT = 1500;

export interface Outcome<T> {
  ok: boolean;
  value?: T;
  error?: Error;
}

/** Runs one input; asserts the outcome is a result or one of `allowed`, with a non-empty message. */
export function expectTypedOutcome<T>(run: () => T, allowed: readonly ErrorClass[], what: string): Outcome<T> {
  const start = performance.now();
  let outcome: Outcome<T>;
  try {
    outcome = { ok: true, value: withAllocationLimit(run) };
  } catch (e) {
    if (!allowed.some((C) => e instanceof C)) {
      throw new Error(`${what}: untyped failure ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack ?? ''}`);
    }
    expect((e as Error).message.length, `${what}: empty error message`).toBeGreaterThan(10);
    outcome = { ok: false, error: e as Error };
  }
  const ms = performance.now() - start;
  if (ms > MAX_MS_PER_INPUT) throw new Error(`${what}: one input took ${ms.toFixed(0)} ms`);
  return outcome;
}

/** Counts the inputs a property tried, and prints the total (the issue asks for the number to be visible). */
export class InputCounter {
  count = 0;
  constructor(readonly label: string) {}
  tick(): void {
    this.count++;
  }
  report(): void {
    console.log(`[fuzz] ${this.label}: ${this.count} inputs tried (seed ${FUZZ_SEED})`);
  }
}

// ---- allocation guard ----------------------------------------------------------------------------

export class AllocationGuardError extends Error {
  override name = 'AllocationGuardError';
}

/**
 * Inputs here are at most a few hundred kilobytes, so any typed array above this size was sized from a
 * length field the reader did not check against the file.
 */
const MAX_ALLOCATION_BYTES = 32 * 1024 * 1024;
const TYPED_ARRAYS = [
  'ArrayBuffer', 'Uint8Array', 'Uint8ClampedArray', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array',
  'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
] as const;

/** Runs `fn` with the typed-array constructors replaced by guards that refuse oversized lengths. */
export function withAllocationLimit<T>(fn: () => T): T {
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = new Map<string, unknown>();
  for (const name of TYPED_ARRAYS) {
    const Original = g[name] as { new (...a: unknown[]): object; BYTES_PER_ELEMENT?: number };
    saved.set(name, Original);
    const perElement = Original.BYTES_PER_ELEMENT ?? 1;
    g[name] = new Proxy(Original, {
      construct(target, args, newTarget) {
        const n = args[0];
        if (typeof n === 'number' && n * perElement > MAX_ALLOCATION_BYTES) {
          throw new AllocationGuardError(`${name}(${n}) allocated from an unchecked length (${n * perElement} bytes)`);
        }
        return Reflect.construct(target, args, newTarget === g[name] ? target : newTarget);
      },
    });
  }
  try {
    return fn();
  } finally {
    for (const [name, Original] of saved) g[name] = Original;
  }
}

// ---- byte mutations ------------------------------------------------------------------------------

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'int'; at: number; bytes: 4 | 8; value: bigint; littleEndian: boolean }
  | { kind: 'insert'; at: number; data: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number };

/** Length-like values that break readers: all-ones, sign bits, just past 2^32 and 2^53, small negatives. */
const NASTY_INTS = [
  0n, 1n, 0x7fn, 0x80n, 0xffn, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
  0x1fffffffffffffn, 0x20000000000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn,
  0xfffffffffffffffen, 0x10000n, 100_000_001n,
];

const position = fc.nat({ max: 1 << 20 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: position }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.nat({ max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('byte' as const), at: position, value: fc.constantFrom(0, 0xff, 0x7f, 0x80, 0x2e, 0x22, 0x7b, 0x7d, 0x0a) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('int' as const), at: position, bytes: fc.constantFrom(4 as const, 8 as const),
      value: fc.oneof(fc.constantFrom(...NASTY_INTS), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })), littleEndian: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: position, data: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }) },
);

export function applyMutation(src: Uint8Array, m: Mutation): Uint8Array {
  const n = src.length;
  const at = n === 0 ? 0 : m.at % n;
  switch (m.kind) {
    case 'truncate':
      return src.slice(0, at);
    case 'flip': {
      const out = src.slice();
      if (n) out[at] ^= 1 << m.bit;
      return out;
    }
    case 'byte': {
      const out = src.slice();
      if (n) out[at] = m.value;
      return out;
    }
    case 'int': {
      const out = src.slice();
      if (at + m.bytes > n) return out;
      const v = new DataView(out.buffer);
      if (m.bytes === 8) v.setBigUint64(at, m.value & 0xffffffffffffffffn, m.littleEndian);
      else v.setUint32(at, Number(m.value & 0xffffffffn), m.littleEndian);
      return out;
    }
    case 'insert':
      return concat(src.subarray(0, at), m.data, src.subarray(at));
    case 'delete':
      return concat(src.subarray(0, at), src.subarray(Math.min(n, at + m.length)));
    case 'duplicate':
      return concat(src.subarray(0, Math.min(n, at + m.length)), src.subarray(at));
  }
}

/** A valid seed file with one to four mutations applied. */
export function mutatedFrom(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
    .map(([i, ms]) => ms.reduce((b, m) => applyMutation(b, m), seeds[i]));
}

/** Plain random bytes, sometimes behind a valid-looking prefix so the reader gets past its magic check. */
export function randomBytesAfter(prefixes: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.constantFrom(new Uint8Array(0), ...prefixes), fc.uint8Array({ maxLength: 512 }))
    .map(([p, rest]) => concat(p, rest));
}

/** Little-endian u64 helper for hand-made headers. */
export function u64le(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v & 0xffffffffffffffffn, true);
  return out;
}

// Byte concatenation for hand-made files: the product's own helper, under the name these tests use.
export { concat };
