import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../../src/core/io/safetensors';
import { detectWeightFormat } from '../../../src/core/io/weightFile';

function handMade(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  const tensors = new Map([
    ['net.0.weight', { shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0, 1e-8, -7]) }],
    ['step', { shape: [], data: new BigInt64Array([123456789012345n]) }],
    ['ids', { shape: [3], data: new Int32Array([-1, 0, 2 ** 31 - 1]) }],
    ['mask', { shape: [4], data: new Uint8Array([0, 1, 255, 7]) }],
    ['f64', { shape: [1, 2], data: new Float64Array([Math.PI, -0]) }],
  ]);

  it('round-trips float32, int64, int32, uint8 and float64 tensors with JSON metadata', () => {
    const meta = { config: JSON.stringify({ lr: 2e-4, steps: [1, 2] }), format: 'pt' };
    const bytes = writeSafetensors(tensors, meta);
    const back = readSafetensors(bytes);
    expect(back.metadata).toEqual(meta);
    expect(JSON.parse(back.metadata.config)).toEqual({ lr: 2e-4, steps: [1, 2] });
    expect([...back.tensors.keys()]).toEqual([...tensors.keys()]);
    for (const [name, t] of tensors) {
      const r = back.tensors.get(name)!;
      expect(r.shape).toEqual(t.shape);
      expect(r.data.constructor).toBe(t.data.constructor);
      expect(Array.from(r.data as ArrayLike<unknown>)).toEqual(Array.from(t.data as ArrayLike<unknown>));
    }
    expect(back.tensors.get('step')!.dtype).toBe('int64');
    expect(detectWeightFormat(bytes)).toBe('safetensors');
  });

  it('pads the header so the data buffer starts on an 8-byte boundary', () => {
    const bytes = writeSafetensors(tensors);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
  });

  it('widens float16 and bfloat16 to float32 on read', () => {
    const data = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3f80, 0x4049]).buffer);
    const f = readSafetensors(handMade({
      h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
      b: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] },
    }, data));
    expect(Array.from(f.tensors.get('h')!.data as Float32Array)).toEqual([1, -2]);
    expect(f.tensors.get('h')!.dtype).toBe('float16');
    expect(Array.from(f.tensors.get('b')!.data as Float32Array)).toEqual([1, 3.140625]);
  });

  it('reports a truncated file clearly', () => {
    const bytes = writeSafetensors(tensors);
    expect(() => readSafetensors(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated safetensors file: tensor 'f64'/);
    expect(() => readSafetensors(bytes.subarray(0, 20))).toThrow(/truncated safetensors file: header needs/);
    expect(() => readSafetensors(bytes.subarray(0, 5))).toThrow(/not a safetensors file/);
  });

  it('rejects a corrupt header, wrong byte counts and overlapping tensors', () => {
    const bytes = writeSafetensors(tensors);
    const corrupt = bytes.slice();
    corrupt[9] = 0x00;
    expect(() => readSafetensors(corrupt)).toThrow(/invalid safetensors header/);
    expect(() => readSafetensors(handMade({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8))))
      .toThrow(/8 bytes do not hold 3 float32 values/);
    expect(() => readSafetensors(handMade({
      x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      y: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
    }, new Uint8Array(8)))).toThrow(/overlap/);
    expect(() => readSafetensors(handMade({ x: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8))))
      .toThrow(/unsupported dtype "C64"/);
  });

  it('refuses to write mismatched shapes, wrong array types or non-string metadata', () => {
    expect(() => writeSafetensors({ x: { shape: [4], data: new Float32Array(3) } })).toThrow(/needs 4 values, got 3/);
    expect(() => writeSafetensors({ x: { dtype: 'int32', shape: [1], data: new Float32Array(1) } })).toThrow(/not int32/);
    expect(() => writeSafetensors({}, { n: 3 as unknown as string })).toThrow(/must be a string/);
  });
});
