// safetensors container (https://github.com/huggingface/safetensors, format section): an 8-byte
// little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}, __metadata__},
// then one byte buffer that the offsets index. Used for LPIPS weights and the app's own checkpoints.

import { BYTES_PER_ELEMENT, type DType, type HostTensor, type TensorData, decodeLittleEndian, encodeLittleEndian, numel } from './tensor';

export interface SafetensorsFile {
  tensors: Map<string, HostTensor>;
  metadata: Record<string, string>;
}

const FILE_DTYPE: Record<string, DType> = {
  F64: 'float64', F32: 'float32', F16: 'float16', BF16: 'bfloat16',
  I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8',
  U64: 'uint64', U32: 'uint32', U16: 'uint16', U8: 'uint8', BOOL: 'bool',
};
const DTYPE_CODE: Partial<Record<DType, string>> = {
  float64: 'F64', float32: 'F32', int64: 'I64', int32: 'I32', int16: 'I16', int8: 'I8',
  uint64: 'U64', uint32: 'U32', uint16: 'U16', uint8: 'U8', bool: 'BOOL',
};
/** The reference implementation refuses headers above 100 MB; so do we (guards against garbage lengths). */
const MAX_HEADER_BYTES = 100_000_000;

export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.byteLength < 8) {
    throw new SafetensorsError(`not a safetensors file: ${bytes.byteLength} bytes, the header length alone takes 8`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES) {
    throw new SafetensorsError(`not a safetensors file: header length ${headerLength} is implausible`);
  }
  if (8 + headerLength > bytes.byteLength) {
    throw new SafetensorsError(
      `truncated safetensors file: header needs ${headerLength} bytes, only ${bytes.byteLength - 8} present`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new SafetensorsError(`invalid safetensors header (not UTF-8 JSON): ${(e as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError('invalid safetensors header: expected a JSON object');
  }
  const data = bytes.subarray(8 + headerLength);
  const tensors = new Map<string, HostTensor>();
  let metadata: Record<string, string> = {};
  const spans: Array<[number, number, string]> = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(entry);
      continue;
    }
    const { dtype, shape, begin, end } = parseEntry(name, entry);
    const count = numel(shape);
    if (end - begin !== count * BYTES_PER_ELEMENT[dtype]) {
      throw new SafetensorsError(
        `tensor '${name}': ${end - begin} bytes do not hold ${count} ${dtype} values of shape [${shape}]`,
      );
    }
    if (end > data.byteLength) {
      throw new SafetensorsError(
        `truncated safetensors file: tensor '${name}' ends at byte ${end} of the data buffer, which has ${data.byteLength}`,
      );
    }
    spans.push([begin, end, name]);
    tensors.set(name, { dtype, shape, data: decodeLittleEndian(data.subarray(begin, end), dtype, count) });
  }
  checkNoOverlap(spans);
  return { tensors, metadata };
}

function parseMetadata(entry: unknown): Record<string, string> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new SafetensorsError('invalid safetensors header: __metadata__ must be an object of strings');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (typeof v !== 'string') throw new SafetensorsError(`invalid safetensors metadata: '${k}' is not a string`);
    out[k] = v;
  }
  return out;
}

function parseEntry(name: string, entry: unknown): { dtype: DType; shape: number[]; begin: number; end: number } {
  const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof e !== 'object' || e === null) throw new SafetensorsError(`tensor '${name}': entry is not an object`);
  const dtype = typeof e.dtype === 'string' ? FILE_DTYPE[e.dtype] : undefined;
  if (!dtype) throw new SafetensorsError(`tensor '${name}': unsupported dtype ${JSON.stringify(e.dtype)}`);
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(e.shape) || !e.shape.every(isCount)) {
    throw new SafetensorsError(`tensor '${name}': shape must be a list of non-negative integers`);
  }
  const offsets = e.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[1] < offsets[0]) {
    throw new SafetensorsError(`tensor '${name}': data_offsets must be [begin, end] with begin <= end`);
  }
  return { dtype, shape: e.shape as number[], begin: offsets[0], end: offsets[1] };
}

function checkNoOverlap(spans: Array<[number, number, string]>): void {
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) {
      throw new SafetensorsError(`invalid safetensors file: tensors '${spans[i - 1][2]}' and '${spans[i][2]}' overlap`);
    }
  }
}

export interface TensorToWrite {
  dtype?: DType;
  shape: readonly number[];
  data: TensorData;
}

/**
 * Serialises tensors (in the given order) and string metadata. dtype defaults to the typed array's
 * natural one (Uint8Array -> uint8; pass 'bool' explicitly for booleans).
 */
export function writeSafetensors(
  tensors: Map<string, TensorToWrite> | Record<string, TensorToWrite>,
  metadata?: Record<string, string>,
): Uint8Array {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new SafetensorsError(`metadata '${k}' must be a string (JSON.stringify it)`);
    }
    header.__metadata__ = metadata;
  }
  const payloads: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new SafetensorsError("'__metadata__' is reserved and cannot name a tensor");
    const dtype = t.dtype ?? naturalDType(t.data);
    const code = DTYPE_CODE[dtype];
    if (!code) throw new SafetensorsError(`tensor '${name}': writing ${dtype} is not supported`);
    if (t.data.BYTES_PER_ELEMENT !== BYTES_PER_ELEMENT[dtype] || naturalDType(t.data) !== storageDType(dtype)) {
      throw new SafetensorsError(`tensor '${name}': data is a ${t.data.constructor.name}, not ${dtype}`);
    }
    if (numel(t.shape) !== t.data.length) {
      throw new SafetensorsError(`tensor '${name}': shape [${t.shape}] needs ${numel(t.shape)} values, got ${t.data.length}`);
    }
    const bytes = encodeLittleEndian(t.data);
    header[name] = { dtype: code, shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] };
    payloads.push(bytes);
    offset += bytes.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header with spaces to a multiple of 8 so the data buffer starts aligned (as the reference writer does).
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const p of payloads) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function storageDType(d: DType): DType {
  return d === 'bool' ? 'uint8' : d;
}

function naturalDType(data: TensorData): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof BigUint64Array) return 'uint64';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Uint16Array) return 'uint16';
  return 'uint8';
}
