// One small example per reader bug the fuzzers (test/unit/fuzz/) found: each used to escape as a
// TypeError/RangeError/SyntaxError from inside the reader, or to return garbage.
import { describe, expect, it } from 'vitest';
import { PickleError, unpickle } from '../../../src/core/io/torch/pickle';
import { TensorRef, TorchFormatError, materialize, type StorageRef } from '../../../src/core/io/torch/tensors';
import { readTorchLegacy } from '../../../src/core/io/torch/containers';
import { ZipError, readZipDirectory } from '../../../src/core/io/zip';
import { WeightFileError, readWeightFile } from '../../../src/core/io/weightFile';
import { readFixture } from '../lpips/sharedData';
import { legacyPython2File } from './pickleBuilder';

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe('pickle machine', () => {
  it('a text INT that is not a decimal integer is a PickleError, not a SyntaxError from BigInt', () => {
    const bytes = Uint8Array.from([0x80, 2, 0x49, ...ascii('1e3\n'), 0x2e]);
    expect(() => unpickle(bytes)).toThrow(PickleError);
    expect(() => unpickle(bytes)).toThrow(/"1e3" is not a decimal integer/);
  });

  it('a LONG4 of a megabyte is refused at once (decoding it is quadratic)', () => {
    const n = 1 << 20;
    const bytes = new Uint8Array(6 + n + 1);
    bytes.set([0x80, 2, 0x8b, 0, 0, 0x10, 0]); // LONG4 with length 2^20
    bytes[bytes.length - 1] = 0x2e;
    const start = performance.now();
    expect(() => unpickle(bytes)).toThrow(/integer of 1048576 bytes is too long/);
    expect(performance.now() - start).toBeLessThan(200);
  });

  it('APPENDS with 300,000 items builds the list (spreading them into push overflowed the stack)', () => {
    const n = 300_000;
    const bytes = Uint8Array.from([0x80, 2, 0x5d, 0x28, ...new Array<number>(n).fill(0x4e), 0x65, 0x2e]);
    expect((unpickle(bytes).value as unknown[]).length).toBe(n);
  });
});

describe('torch containers', () => {
  it('a legacy storage with a negative element count is a TorchFormatError', () => {
    const bytes = legacyPython2File();
    // The raw section is 84 bytes: count 3 + 3 floats, count 8 + 8 floats, count 2 + 2 int64.
    new DataView(bytes.buffer).setBigInt64(bytes.length - 84, -1n, true);
    expect(() => readTorchLegacy(bytes)).toThrow(TorchFormatError);
    expect(() => readTorchLegacy(bytes)).toThrow(/storage '100' claims -1 elements/);
  });

  it('a ZIP directory entry whose extra field runs past the file is a ZipError', () => {
    const bytes = readFixture('tiny.zip.pth').slice();
    const view = new DataView(bytes.buffer);
    let central = -1;
    for (let p = 0; p + 4 <= bytes.length && central < 0; p++) if (view.getUint32(p, true) === 0x02014b50) central = p;
    view.setUint16(central + 30, 0xffff, true); // extra field length
    view.setUint16(central + 32, 0xffff, true); // comment length
    expect(() => readZipDirectory(bytes)).toThrow(ZipError);
    expect(() => readZipDirectory(bytes)).toThrow(/entry 0 runs past the end of the file/);
  });

  const storage = (n: number): { ref: StorageRef; data: Float32Array } => {
    const data = Float32Array.from({ length: n }, (_, i) => i);
    return { ref: { key: '0', dtype: 'float32', location: 'cpu', numel: n, viewOffset: 0, data }, data };
  };

  it('a view whose negative stride reaches below its storage is refused (it used to read undefined)', () => {
    const { ref, data } = storage(4);
    expect(Array.from(materialize(new TensorRef(ref, 3, [4], [-1]), data).data as Float32Array)).toEqual([3, 2, 1, 0]);
    expect(() => materialize(new TensorRef(ref, 1, [3], [-1]), data)).toThrow(/reaches elements -1\.\.1/);
  });

  it('a shape of 2^40 elements over a 4-element storage is refused before anything is allocated', () => {
    const { ref, data } = storage(4);
    expect(() => materialize(new TensorRef(ref, 0, [2 ** 20, 2 ** 20], [0, 0]), data)).toThrow(/1099511627776 elements but its storage holds 4/);
  });

  it('unknown content is a WeightFileError naming the formats it is not', () => {
    const junk = new TextEncoder().encode('<!doctype html><title>404</title>');
    expect(() => readWeightFile(junk)).toThrow(WeightFileError);
    expect(() => readWeightFile(junk)).toThrow(/not a torch checkpoint \(legacy or zip\) and not safetensors/);
  });
});
