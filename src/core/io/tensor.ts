// Plain host-side tensors as weight files store them: a dtype name, a shape and a row-major typed array.
// Shared by the safetensors and torch readers so callers see one shape of result.

export type DType =
  | 'float64' | 'float32' | 'float16' | 'bfloat16'
  | 'int64' | 'int32' | 'int16' | 'int8'
  | 'uint64' | 'uint32' | 'uint16' | 'uint8' | 'bool';

export type TensorData =
  | Float64Array | Float32Array
  | BigInt64Array | Int32Array | Int16Array | Int8Array
  | BigUint64Array | Uint32Array | Uint16Array | Uint8Array;

/** float16 / bfloat16 are widened to Float32Array on read; `dtype` still says what the file held. */
export interface HostTensor {
  dtype: DType;
  shape: number[];
  data: TensorData;
}

export const BYTES_PER_ELEMENT: Record<DType, number> = {
  float64: 8, float32: 4, float16: 2, bfloat16: 2,
  int64: 8, int32: 4, int16: 2, int8: 1,
  uint64: 8, uint32: 4, uint16: 2, uint8: 1, bool: 1,
};

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes `count` little-endian elements starting at `bytes[0]` into a fresh typed array.
 * Always copies, so the result is aligned and does not keep the whole file alive.
 */
export function decodeLittleEndian(bytes: Uint8Array, dtype: DType, count: number): TensorData {
  const size = BYTES_PER_ELEMENT[dtype];
  const need = count * size;
  if (bytes.byteLength < need) {
    throw new Error(`need ${need} bytes for ${count} ${dtype} values, have ${bytes.byteLength}`);
  }
  const copy = bytes.slice(0, need);
  if (dtype === 'float16' || dtype === 'bfloat16') return widenHalf(copy, dtype, count);
  if (!LITTLE_ENDIAN_HOST && size > 1) swapBytesInPlace(copy, size);
  const buf = copy.buffer;
  switch (dtype) {
    case 'float64': return new Float64Array(buf);
    case 'float32': return new Float32Array(buf);
    case 'int64': return new BigInt64Array(buf);
    case 'int32': return new Int32Array(buf);
    case 'int16': return new Int16Array(buf);
    case 'int8': return new Int8Array(buf);
    case 'uint64': return new BigUint64Array(buf);
    case 'uint32': return new Uint32Array(buf);
    case 'uint16': return new Uint16Array(buf);
    case 'uint8':
    case 'bool': return new Uint8Array(buf);
  }
}

/** Little-endian bytes of a typed array (a copy). */
export function encodeLittleEndian(data: TensorData): Uint8Array {
  const out = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  if (!LITTLE_ENDIAN_HOST && data.BYTES_PER_ELEMENT > 1) swapBytesInPlace(out, data.BYTES_PER_ELEMENT);
  return out;
}

function swapBytesInPlace(b: Uint8Array, size: number): void {
  for (let i = 0; i < b.length; i += size) b.subarray(i, i + size).reverse();
}

function widenHalf(bytes: Uint8Array, dtype: 'float16' | 'bfloat16', count: number): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < count; i++) {
    const h = view.getUint16(2 * i, true);
    if (dtype === 'bfloat16') {
      u32[0] = h << 16;
      out[i] = f32[0];
    } else {
      out[i] = halfToFloat(h);
    }
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** A float32 copy (or the same array) of any numeric tensor, e.g. to upload to tfjs. */
export function toFloat32(t: HostTensor): Float32Array {
  if (t.data instanceof Float32Array) return t.data;
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(t.data[i]);
  return out;
}
