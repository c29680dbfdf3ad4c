// Run-file contents the fuzzer (test/unit/fuzz/runFile.fuzz.test.ts) found slipping through or escaping
// as a TypeError: each now ends in a RunFileError that names the problem.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { readSafetensors, writeSafetensors } from '../../../src/core/io/safetensors';
import { createNetwork } from '../../../src/core/models/index';
import { RunFileError, decodeRunFile, encodeRunFile } from '../../../src/core/run/runFile';

const config: Config = { ...DEFAULTS, width: 8, depth: 2, timeFeatures: 4 };
const net = createNetwork(config, [2]);
const values = () => net.params.map((p) => new Float32Array(p.shape.reduce((a, b) => a * b, 1)).fill(0.1));
const total = values().reduce((a, p) => a + p.length, 0);

const good = encodeRunFile({
  config, spec: net.spec, phase: 'student', teacherStep: 0, points: null, teacher: null,
  trainer: { step: 5, online: values(), target: values(), evalEma: values(), optimizer: { t: 5, m: new Float32Array(total), v: new Float32Array(total) }, rng: { data: [1, 2, 3, 4, Number.NaN], train: [5, 6, 7, 8, 0.5] } },
}, net);

/** The good file with some metadata replaced and tensors changed. */
function variant(meta: Record<string, string>, change?: (tensors: Map<string, { shape: number[]; data: Float32Array }>) => void): Uint8Array {
  const f = readSafetensors(good);
  const tensors = new Map([...f.tensors].map(([k, t]) => [k, { shape: t.shape, data: Float32Array.from(t.data as Float32Array) }]));
  change?.(tensors);
  return writeSafetensors(tensors, { ...f.metadata, ...meta });
}

const refuses = (bytes: Uint8Array, message: RegExp) => {
  expect(() => decodeRunFile(bytes, net)).toThrow(RunFileError);
  expect(() => decodeRunFile(bytes, net)).toThrow(message);
};

describe('run file checks', () => {
  it('the unchanged file decodes', () => {
    expect(decodeRunFile(good, net).trainer!.step).toBe(5);
  });

  it('a spec of "null" is refused (it used to reach Object.keys(null))', () => {
    refuses(variant({ spec: 'null' }), /model description \("spec"\) is not a JSON object/);
  });

  it('a config of "null" is refused (it used to reach Object.entries(null))', () => {
    refuses(variant({ config: 'null' }), /config is not a JSON object/);
  });

  it('an RNG state that is not {data, train} lists of five is refused (it used to throw a TypeError)', () => {
    refuses(variant({ rng: '0' }), /random-number state \("rng"\) is not a JSON object/);
    refuses(variant({ rng: '{"data":["1"],"train":[]}' }), /"data" has 1 values, not 5/);
    refuses(variant({ rng: '{"data":["a","b","c","d","e"],"train":["1","2","3","4","5"]}' }), /"data" is not a valid generator state/);
  });

  it('a step of "-1", "1.5" or "NaN" is refused (it used to become the trainer step)', () => {
    for (const step of ['-1', '1.5', 'NaN']) refuses(variant({ step }), new RegExp(`step "${step}" is not a non-negative integer`));
  });

  it('NaN or Inf in a parameter is refused, naming the tensor', () => {
    const name = `online/${net.params[1].name}`;
    refuses(variant({}, (t) => { t.get(name)!.data[0] = Number.NaN; }), new RegExp(`"${name}" holds 1 non-finite value`));
    refuses(variant({}, (t) => { t.get('optimizer/v')!.data[3] = Infinity; }), /"optimizer\/v" holds 1 non-finite value/);
  });

  it('optimizer moments of different lengths are refused (restoring them failed halfway)', () => {
    refuses(variant({}, (t) => { t.set('optimizer/v', { shape: [3], data: new Float32Array(3) }); }), /"optimizer\/m" and "optimizer\/v" differ in length/);
  });
});
