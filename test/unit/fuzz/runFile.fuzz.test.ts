// Run files and weight files under random and mutated input, through the public readers (peekRunFile,
// decodeRunFile): a RunFileError naming the problem, or contents a session can restore as they are
// (finite parameters of the right shapes, counters that are integers, RNG states of the right length).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../../src/core/io/safetensors';
import type { DType } from '../../../src/core/io/tensor';
import { createNetwork } from '../../../src/core/models/index';
import { RunFileError, WEIGHTS_FORMAT, decodeRunFile, encodeRunFile, peekRunFile, type RunFileContents } from '../../../src/core/run/runFile';
import { InputCounter, budget, expectTypedOutcome, mutatedFrom } from './fuzzKit';

const config: Config = { ...DEFAULTS, width: 8, depth: 2, timeFeatures: 4 };
const net = createNetwork(config, [2]);
const sizes = net.params.map((p) => p.shape.reduce((a, b) => a * b, 1));
const total = sizes.reduce((a, b) => a + b, 0);
const params = (scale: number) => sizes.map((n, k) => Float32Array.from({ length: n }, (_, i) => scale * Math.sin(1 + i + 7 * k)));

function runFile(patch: Partial<RunFileContents> = {}): Uint8Array {
  return encodeRunFile({
    config, spec: net.spec, phase: 'student', teacherStep: 3, points: Float64Array.from([0, 1, 2, 3, -1, 0.5]), teacher: params(0.5),
    trainer: {
      step: 12, online: params(1), target: params(0.9), evalEma: params(0.8),
      optimizer: { t: 12, m: new Float32Array(total).fill(0.01), v: new Float32Array(total).fill(0.02) },
      rng: { data: [1, 2, 3, 4, Number.NaN], train: [5, -6, 7, 8, 0.25] },
    },
    ...patch,
  }, net);
}

const weightsFile = writeSafetensors(
  Object.fromEntries(net.params.map((p, i) => [p.name, { shape: p.shape, data: params(1)[i] }])),
  { format: WEIGHTS_FORMAT, spec: JSON.stringify(net.spec), config: JSON.stringify(config) },
);
const SEEDS = [runFile(), runFile({ trainer: null, points: null }), weightsFile];

function checkContents(c: RunFileContents): void {
  const arrays = [...(c.teacher ?? []), ...(c.trainer ? [...c.trainer.online, ...(c.trainer.target ?? []), ...c.trainer.evalEma] : [])];
  for (const a of arrays) expect(a.every(Number.isFinite), 'parameters are finite').toBe(true);
  if (c.trainer) {
    c.trainer.online.forEach((a, i) => expect(a.length).toBe(sizes[i]));
    expect(Number.isSafeInteger(c.trainer.step) && c.trainer.step >= 0, `step ${c.trainer.step}`).toBe(true);
    expect(Number.isSafeInteger(c.trainer.optimizer.t) && c.trainer.optimizer.t >= 0).toBe(true);
    expect(c.trainer.optimizer.m.length).toBe(c.trainer.optimizer.v.length);
    expect(c.trainer.optimizer.m.every(Number.isFinite) && c.trainer.optimizer.v.every(Number.isFinite)).toBe(true);
    for (const s of [c.trainer.rng.data, c.trainer.rng.train]) expect([0, 5]).toContain(s.length);
    expect(c.trainer.rng.data.length).toBe(c.trainer.rng.train.length);
  }
  expect(Number.isSafeInteger(c.teacherStep) && c.teacherStep >= 0).toBe(true);
  if (c.points) {
    expect(c.points.length % 2).toBe(0);
    expect(c.points.every(Number.isFinite)).toBe(true);
  }
}

const decode = (bytes: Uint8Array, what: string) => expectTypedOutcome(() => decodeRunFile(bytes, net), [RunFileError], what);

describe('run files, fuzzed', () => {
  it('mutated run and weight files (truncations, bit flips into NaN, huge lengths) decode or fail with RunFileError', () => {
    const counter = new InputCounter('run file: mutated run/weights files');
    let ok = 0;
    fc.assert(fc.property(mutatedFrom(SEEDS), (bytes) => {
      counter.tick();
      expectTypedOutcome(() => peekRunFile(bytes), [RunFileError], 'peek');
      const r = decode(bytes, 'mutated run file');
      if (r.ok) {
        ok++;
        checkContents(r.value!);
      }
    }), budget(2000, 3500));
    counter.report();
    expect(ok).toBeGreaterThan(0); // some mutations (e.g. in padding) leave a readable file
  });

  const json = fc.oneof(fc.constantFrom('null', '[]', '{}', '"x"', '1', 'NaN', '{"kind":"mlp"}', '', '{'), fc.json({ maxDepth: 2 }));
  const counterText = fc.oneof(fc.constantFrom('12', '-1', '1.5', 'NaN', 'Infinity', '', '1e400', '9007199254740993', ' 3'), fc.string({ maxLength: 4 }));
  const rngText = fc.oneof(
    fc.constantFrom('{"data":["1","2","3","4","NaN"],"train":["1","2","3","4","NaN"]}', '{"data":[],"train":[]}', '{"data":["1"],"train":[]}',
      '{"data":"x","train":null}', '{"data":["a","b","c","d","e"],"train":["1","2","3","4","5"]}', '[]', 'null', '{'),
    fc.json({ maxDepth: 2 }),
  );

  it('run files with hostile metadata (spec, config, step, RNG state, phase) decode or fail with RunFileError', () => {
    const counter = new InputCounter('run file: hostile metadata');
    const parsed = peekTensors(runFile());
    const field = fc.oneof(
      json.map((v) => ['spec', v] as const), json.map((v) => ['config', v] as const), counterText.map((v) => ['step', v] as const),
      counterText.map((v) => ['optimizerT', v] as const), counterText.map((v) => ['teacherStep', v] as const), rngText.map((v) => ['rng', v] as const),
      fc.constantFrom('teacher', 'student', '', 'x').map((v) => ['phase', v] as const),
      fc.constantFrom('cm-playground/run@1', 'cm-playground/run@2', 'cm-playground/run@99', WEIGHTS_FORMAT, 'x').map((v) => ['format', v] as const),
    );
    fc.assert(fc.property(fc.array(field, { minLength: 1, maxLength: 3 }), (changes) => {
      counter.tick();
      const meta = { ...parsed.metadata, ...Object.fromEntries(changes) };
      const r = decode(writeSafetensors(parsed.tensors, meta), `metadata ${JSON.stringify(changes)}`);
      if (r.ok) checkContents(r.value!);
    }), budget(2000, 2500));
    counter.report();
  });

  it('tensors of wrong dtypes, shapes or holding NaN/Inf are refused with a message naming them', () => {
    const counter = new InputCounter('run file: wrong tensors');
    const name = fc.constantFrom(...net.params.flatMap((p) => [`online/${p.name}`, `teacher/${p.name}`, `ema/${p.name}`]), 'optimizer/m', 'optimizer/v', 'data/points');
    const bad = fc.oneof(
      fc.constantFrom(Number.NaN, Infinity, -Infinity).map((v) => ({ kind: 'value' as const, v })),
      fc.constantFrom('int32', 'float64', 'uint8').map((dtype) => ({ kind: 'dtype' as const, dtype })),
      fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }).map((shape) => ({ kind: 'shape' as const, shape })),
    );
    fc.assert(fc.property(name, bad, (key, change) => {
      counter.tick();
      const parsed = peekTensors(runFile());
      const t = parsed.tensors[key];
      if (change.kind === 'value') {
        const data = Float32Array.from(t.data as Float32Array);
        data[data.length >> 1] = change.v;
        parsed.tensors[key] = { ...t, data: key === 'data/points' ? Float64Array.from(data) : data };
      } else if (change.kind === 'dtype') {
        const rounded = Array.from(t.data as Float32Array, (x) => Math.round(x));
        const data = change.dtype === 'int32' ? Int32Array.from(rounded) : change.dtype === 'float64' ? Float64Array.from(rounded) : Uint8Array.from(rounded);
        parsed.tensors[key] = { shape: t.shape, data, dtype: change.dtype };
      } else {
        const n = change.shape.reduce((a, b) => a * b, 1);
        parsed.tensors[key] = { shape: change.shape, data: new Float32Array(n) };
      }
      const r = decode(writeSafetensors(parsed.tensors, parsed.metadata), `${key}: ${JSON.stringify(change)}`);
      if (r.ok) checkContents(r.value!);
      else if (change.kind === 'value') expect(r.error!.message).toMatch(/non-finite/);
    }), budget(600, 2500));
    counter.report();
  });
});

function peekTensors(bytes: Uint8Array): { tensors: Record<string, TensorToWrite & { dtype?: DType }>; metadata: Record<string, string> } {
  const f = readSafetensors(bytes);
  return { tensors: Object.fromEntries([...f.tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data, dtype: t.dtype }])), metadata: f.metadata };
}
