// The torch readers (zip and legacy containers, the pickle machine, the weight-file front door) under
// random and mutated input: a valid result or a typed error (TorchFormatError, PickleError, ZipError,
// WeightFileError, SafetensorsError), never a TypeError/RangeError from inside or a header-sized allocation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PickleError, unpickle } from '../../../src/core/io/torch/pickle';
import { TorchFormatError, torchHooks } from '../../../src/core/io/torch/tensors';
import { readTorchLegacy, readTorchZip } from '../../../src/core/io/torch/containers';
import { ZipError, readZipDirectory } from '../../../src/core/io/zip';
import { SafetensorsError } from '../../../src/core/io/safetensors';
import { WeightFileError, readWeightFile } from '../../../src/core/io/weightFile';
import { numel } from '../../../src/core/io/tensor';
import { readFixture } from '../lpips/sharedData';
import { legacyPython2File } from '../io/pickleBuilder';
import { InputCounter, budget, expectTypedOutcome, mutatedFrom, randomBytesAfter } from './fuzzKit';

const LEGACY = readFixture('tiny.legacy.pth');
const ZIP = readFixture('tiny.zip.pth');
const PY2 = legacyPython2File();
const READER_ERRORS = [TorchFormatError, PickleError, ZipError, WeightFileError, SafetensorsError];

function checkTensors(tensors: Map<string, { shape: number[]; data: ArrayLike<unknown> }>): void {
  for (const [name, t] of tensors) {
    expect(t.shape.every((d) => Number.isSafeInteger(d) && d >= 0), name).toBe(true);
    expect(t.data.length, name).toBe(numel(t.shape));
  }
}

describe('torch readers, fuzzed', () => {
  it('mutated torch files (legacy, zip, Python 2 legacy) read or fail with a typed error', () => {
    const counter = new InputCounter('torch: mutated legacy/zip/py2 files through readWeightFile');
    fc.assert(fc.property(mutatedFrom([LEGACY, ZIP, PY2]), (bytes) => {
      counter.tick();
      const r = expectTypedOutcome(() => readWeightFile(bytes), READER_ERRORS, 'mutated torch file');
      if (r.ok) checkTensors(r.value!.tensors);
    }), budget(2500, 4000));
    counter.report();
    expect(counter.count).toBeGreaterThan(200);
  });

  it('each container reader on its own, given the other formats and random bytes behind their magic', () => {
    const counter = new InputCounter('torch: container readers on foreign and random bytes');
    const input = fc.oneof(mutatedFrom([LEGACY, ZIP, PY2]), randomBytesAfter([LEGACY.subarray(0, 14), ZIP.subarray(0, 40), PY2.subarray(0, 60)]));
    fc.assert(fc.property(input, fc.constantFrom('legacy', 'zip', 'dir'), (bytes, reader) => {
      counter.tick();
      const run: () => unknown = reader === 'legacy' ? () => readTorchLegacy(bytes) : reader === 'zip' ? () => readTorchZip(bytes) : () => readZipDirectory(bytes);
      expectTypedOutcome(run, READER_ERRORS, `${reader} reader`);
    }), budget(2500, 2500));
    counter.report();
  });

  // Pickle opcodes torch files use, with operands drawn at random: lengths, memo keys, text lines.
  const opcode = fc.oneof(
    fc.constantFrom(0x80, 0x95, 0x2e, 0x28, 0x29, 0x5d, 0x7d, 0x4e, 0x88, 0x89, 0x4b, 0x4d, 0x4a, 0x8a, 0x8b, 0x49, 0x4c, 0x47, 0x58, 0x8c,
      0x8d, 0x54, 0x55, 0x42, 0x43, 0x8e, 0x71, 0x72, 0x70, 0x94, 0x68, 0x6a, 0x67, 0x63, 0x93, 0x74, 0x85, 0x86, 0x87, 0x6c, 0x64,
      0x61, 0x65, 0x73, 0x75, 0x52, 0x81, 0x62, 0x51, 0x50, 0x30, 0x31, 0x32).map((op) => [op]),
    fc.tuple(fc.constantFrom(0x4b, 0x71, 0x68, 0x8c, 0x55, 0x43, 0x8a), fc.nat({ max: 255 })).map(([op, n]) => [op, n]),
    fc.tuple(fc.constantFrom(0x49, 0x4c, 0x70, 0x67, 0x50), fc.constantFrom('0', '01', '00', '-5', '99999999999999999999', 'abc', '1e3', '', ' 7 ', '0x1f', '1'.repeat(200))).map(([op, s]) => [op, ...[...s].map((c) => c.charCodeAt(0)), 0x0a]),
    fc.constant([0x63, ...[...'torch._utils\n_rebuild_tensor_v2\n'].map((c) => c.charCodeAt(0))]),
    fc.constant([0x63, ...[...'torch\nFloatStorage\n'].map((c) => c.charCodeAt(0))]),
    fc.constant([0x63, ...[...'collections\nOrderedDict\n'].map((c) => c.charCodeAt(0))]),
    fc.tuple(fc.constantFrom(0x8b, 0x58, 0x54, 0x42, 0x72, 0x6a, 0x4a), fc.constantFrom(0, 1, 4, 0x7fffffff, 0xffffffff, 0x10000)).map(([op, n]) => [op, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24]),
  );
  const program = fc.array(opcode, { maxLength: 60 }).map((ops) => Uint8Array.from([0x80, 2, ...ops.flat(), 0x2e]));

  it('random pickle programs end in a value or a PickleError/TorchFormatError', () => {
    const counter = new InputCounter('pickle: random opcode programs');
    fc.assert(fc.property(program, fc.boolean(), (bytes, torch) => {
      counter.tick();
      expectTypedOutcome(() => unpickle(bytes, 0, torch ? torchHooks(new Map()) : {}), [PickleError, TorchFormatError], 'pickle program');
    }), budget(4000, 2000));
    counter.report();
  });
});
