// safetensors under random and mutated input: every file ends in a valid result or a SafetensorsError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SafetensorsError, readSafetensors, writeSafetensors } from '../../../src/core/io/safetensors';
import { numel } from '../../../src/core/io/tensor';
import { InputCounter, budget, concat, expectTypedOutcome, mutatedFrom, u64le } from './fuzzKit';

function handMade(header: unknown, data: Uint8Array, lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  return concat(u64le(lengthOverride ?? BigInt(json.length)), json, data);
}

const SEEDS = [
  writeSafetensors(
    {
      w: { shape: [2, 3], data: new Float32Array([1, -2, NaN, Infinity, -Infinity, 0]) },
      step: { shape: [], data: new BigInt64Array([42n]) },
      ids: { shape: [3], data: new Int32Array([-1, 0, 7]) },
      mask: { shape: [2], data: new Uint8Array([0, 1]), dtype: 'bool' },
      f64: { shape: [1, 2], data: new Float64Array([Math.PI, -0]) },
    },
    { format: 'cm-playground/weights@1', spec: '{"kind":"mlp"}' },
  ),
  handMade({ h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] }, b: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] } },
    new Uint8Array([0x00, 0x3c, 0x00, 0x7c, 0x80, 0x3f])),
  writeSafetensors({}, {}),
];

/** Checks a successful read is self-consistent (each tensor holds exactly numel(shape) values). */
function checkResult(r: ReturnType<typeof readSafetensors>): void {
  for (const [name, t] of r.tensors) {
    expect(t.data.length, name).toBe(numel(t.shape));
    expect(t.shape.every((d) => Number.isSafeInteger(d) && d >= 0), name).toBe(true);
  }
  for (const v of Object.values(r.metadata)) expect(typeof v).toBe('string');
}

const read = (bytes: Uint8Array, what: string) => expectTypedOutcome(() => readSafetensors(bytes), [SafetensorsError], what);

describe('safetensors reader, fuzzed', () => {
  it('mutated valid files (truncations, bit flips, huge lengths, insertions) read or fail with SafetensorsError', () => {
    const counter = new InputCounter('safetensors: mutated valid files');
    fc.assert(fc.property(mutatedFrom(SEEDS), (bytes) => {
      counter.tick();
      const r = read(bytes, 'mutated safetensors');
      if (r.ok) checkResult(r.value!);
    }), budget(3000, 3000));
    counter.report();
    expect(counter.count).toBeGreaterThan(200);
  });

  const jsonNumber = fc.oneof(
    fc.integer({ min: -10, max: 64 }), fc.constantFrom(-1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 64, 1e308, 0.5, -0),
    fc.double(), fc.constant(null), fc.string({ maxLength: 3 }),
  );
  const entry = fc.record({
    dtype: fc.oneof(fc.constantFrom('F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U64', 'U32', 'U16', 'U8', 'BOOL', 'F8_E4M3', 'f32', ''), jsonNumber),
    shape: fc.oneof(fc.array(jsonNumber, { maxLength: 4 }), jsonNumber),
    data_offsets: fc.oneof(fc.tuple(jsonNumber, jsonNumber), fc.array(jsonNumber, { maxLength: 3 }), jsonNumber),
  }, { requiredKeys: [] });
  const header = fc.dictionary(fc.oneof(fc.constantFrom('__metadata__', '__proto__', 'w', ''), fc.string({ maxLength: 8 })),
    fc.oneof(entry, jsonNumber, fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), jsonNumber))), { maxKeys: 5 });

  it('random headers (wrong dtypes and shapes, negative and huge offsets) read or fail with SafetensorsError', () => {
    const counter = new InputCounter('safetensors: random headers');
    fc.assert(fc.property(header, fc.uint8Array({ maxLength: 96 }), (h, data) => {
      counter.tick();
      const r = read(handMade(h, data), `header ${JSON.stringify(h)}`);
      if (r.ok) checkResult(r.value!);
    }), budget(3000, 2500));
    counter.report();
  });

  it('a header length beyond the file or the 100 MB cap is refused before anything is read', () => {
    const counter = new InputCounter('safetensors: header lengths');
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.uint8Array({ maxLength: 64 }), (len, rest) => {
      counter.tick();
      const bytes = concat(u64le(len), rest);
      const r = read(bytes, `header length ${len}`);
      if (len > BigInt(rest.length)) {
        expect(r.ok).toBe(false);
        expect(r.error!.message).toMatch(/header/);
      }
    }), budget(2000, 1500));
    counter.report();
  });

  it('random tensors (NaN, Inf, every writable dtype, empty shapes) round-trip exactly', () => {
    const counter = new InputCounter('safetensors: round trips');
    const tensor = fc.oneof(
      fc.array(fc.float({ noDefaultInfinity: false, noNaN: false }), { maxLength: 12 }).map((v) => ({ shape: [v.length], data: new Float32Array(v) })),
      fc.array(fc.double(), { maxLength: 6 }).map((v) => ({ shape: [v.length, 1], data: new Float64Array(v) })),
      fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 6 }).map((v) => ({ shape: [v.length], data: new Int32Array(v) })),
      fc.array(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), { maxLength: 4 }).map((v) => ({ shape: [v.length], data: new BigInt64Array(v) })),
      fc.constant({ shape: [0, 5], data: new Float32Array(0) }),
    );
    fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== '__metadata__'), tensor, { maxKeys: 4 }),
      fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 12 }), { maxKeys: 3 }), (tensors, meta) => {
        counter.tick();
        const back = readSafetensors(writeSafetensors(tensors, meta));
        expect(back.metadata).toEqual(Object.keys(meta).length ? meta : {});
        for (const [k, t] of Object.entries(tensors)) {
          expect(back.tensors.get(k)!.shape).toEqual(t.shape);
          expect(Array.from(back.tensors.get(k)!.data as ArrayLike<unknown>)).toEqual(Array.from(t.data as ArrayLike<unknown>));
        }
      }), budget(500, 1500));
    counter.report();
  });
});
