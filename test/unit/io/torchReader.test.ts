import { describe, expect, it } from 'vitest';
import { readTorchLegacy, readTorchZip } from '../../../src/core/io/torch/containers';
import { detectWeightFormat, readTorchStateDict } from '../../../src/core/io/weightFile';
import { readFixture, readFixtureJson } from '../lpips/sharedData';
import { legacyPython2File } from './pickleBuilder';

interface Expected {
  tensors: Record<string, { shape: number[]; dtype: string; values_row_major: number[] }>;
}

const expected = readFixtureJson<Expected>('tiny.expected.json');

describe.each(['tiny.legacy.pth', 'tiny.zip.pth'])('torch reader on %s', (file) => {
  const bytes = readFixture(file);

  it('is recognised by content', () => {
    expect(detectWeightFormat(bytes)).toBe(file.includes('zip') ? 'torch-zip' : 'torch-legacy');
  });

  it('reads every tensor (views, storage offsets, shared storages, int64) as tiny.expected.json says', () => {
    const tensors = readTorchStateDict(bytes);
    expect([...tensors.keys()].sort()).toEqual(Object.keys(expected.tensors).sort());
    for (const [name, want] of Object.entries(expected.tensors)) {
      const t = tensors.get(name)!;
      expect(t.shape).toEqual(want.shape);
      expect(t.dtype).toBe(want.dtype);
      if (want.dtype === 'int64') {
        expect(t.data).toBeInstanceOf(BigInt64Array);
        expect(Array.from(t.data as BigInt64Array, Number)).toEqual(want.values_row_major);
      } else {
        expect(t.data).toBeInstanceOf(Float32Array);
        expect(Array.from(t.data as Float32Array)).toEqual(want.values_row_major.map(Math.fround));
      }
    }
  });

  it('reports truncation instead of returning garbage', () => {
    expect(() => readTorchStateDict(bytes.subarray(0, bytes.length - 40))).toThrow(/truncated|ZIP/);
    expect(() => readTorchStateDict(bytes.subarray(0, 200))).toThrow(/truncated|ZIP/);
  });
});

describe('torch containers, hand-built cases', () => {
  it('reads a Python 2 legacy file: LONG1 magic, OrderedDict as a list of pairs, 4-argument _rebuild_tensor, cuda:0, a storage view', () => {
    const bytes = legacyPython2File();
    expect(detectWeightFormat(bytes)).toBe('torch-legacy');
    const t = readTorchLegacy(bytes);
    expect([...t.keys()]).toEqual(['lin0.model.1.weight', 'view.t', 'steps']);
    expect(t.get('lin0.model.1.weight')!.shape).toEqual([1, 3, 1, 1]);
    expect(Array.from(t.get('lin0.model.1.weight')!.data as Float32Array)).toEqual([0.5, 0.25, 2]);
    // Storage view starting at element 2 of root storage [0..7], then a 2x2 transposed tensor at offset 1.
    expect(t.get('view.t')!.shape).toEqual([2, 2]);
    expect(Array.from(t.get('view.t')!.data as Float32Array)).toEqual([3, 5, 4, 6]);
    expect(Array.from(t.get('steps')!.data as BigInt64Array, Number)).toEqual([9, -1]);
  });

  it('says clearly when a zip entry is compressed', () => {
    const bytes = readFixture('tiny.zip.pth').slice();
    const view = new DataView(bytes.buffer);
    // Mark every central-directory entry as deflated (method 8).
    for (let p = 0; p + 4 <= bytes.length; p++) {
      if (view.getUint32(p, true) === 0x02014b50) view.setUint16(p + 10, 8, true);
    }
    expect(() => readTorchZip(bytes)).toThrow(/is deflate-compressed; only uncompressed entries are supported/);
  });

  it('labels non-weight content as unknown and refuses it', () => {
    const junk = new TextEncoder().encode('<!doctype html><title>404</title>');
    expect(detectWeightFormat(junk)).toBe('unknown');
    expect(() => readTorchStateDict(junk)).toThrow(/not a torch checkpoint/);
  });
});
