// The two torch.save containers. Legacy (torch < 1.6, and _use_new_zipfile_serialization=False): five
// pickles back to back (magic number, protocol version, sys info, the object, the storage key list),
// then per storage key an int64 element count and the raw little-endian data. Zip (torch >= 1.6):
// '<name>/data.pkl' plus one STORED entry '<name>/data/<key>' per storage.

import { BYTES_PER_ELEMENT, type HostTensor, decodeLittleEndian } from '../tensor';
import { isZip, readStoredEntry, readZipDirectory } from '../zip';
import { PyDict, unpickle } from './pickle';
import { type StorageRef, type TensorRef, TorchFormatError, collectTensors, materialize, torchHooks } from './tensors';

/** torch's legacy magic number, pickled as a LONG1. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL_VERSION = 1001;
/** PROTO 2, LONG1 with 10 bytes, then the magic number's little-endian bytes. */
const LEGACY_PREFIX = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

export function isTorchLegacy(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 2 + LEGACY_PREFIX.length || bytes[0] !== 0x80) return false;
  return LEGACY_PREFIX.every((b, i) => bytes[2 + i] === b);
}

export function isTorchZip(bytes: Uint8Array): boolean {
  if (!isZip(bytes)) return false;
  try {
    return findDataPkl([...readZipDirectory(bytes).keys()]) !== null;
  } catch {
    // A truncated zip still looks like torch when its first local header names data.pkl.
    const nameLen = bytes.byteLength >= 30 ? bytes[26] | (bytes[27] << 8) : 0;
    const first = new TextDecoder().decode(bytes.subarray(30, 30 + nameLen));
    return /(^|\/)data\.pkl$/.test(first);
  }
}

export function readTorchLegacy(bytes: Uint8Array): Map<string, HostTensor> {
  let r = unpickle(bytes, 0);
  if (r.value !== LEGACY_MAGIC && r.value !== Number(LEGACY_MAGIC)) {
    throw new TorchFormatError('not a legacy torch file: the magic number is missing');
  }
  r = unpickle(bytes, r.end);
  if (r.value !== LEGACY_PROTOCOL_VERSION) {
    throw new TorchFormatError(`unsupported legacy torch protocol version ${String(r.value)}`);
  }
  r = unpickle(bytes, r.end);
  if (r.value instanceof PyDict && r.value.get('little_endian') === false) {
    throw new TorchFormatError('big-endian torch files are not supported');
  }
  const storages = new Map<string, StorageRef>();
  r = unpickle(bytes, r.end, torchHooks(storages));
  const root = r.value;
  r = unpickle(bytes, r.end);
  if (!Array.isArray(r.value)) throw new TorchFormatError('legacy torch file: storage key list missing');
  let p = r.end;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const rawKey of r.value) {
    const key = String(rawKey);
    const storage = storages.get(key);
    if (!storage) throw new TorchFormatError(`legacy torch file lists storage '${key}' that no tensor uses`);
    if (p + 8 > bytes.byteLength) throw truncated(key, p + 8, bytes.byteLength);
    const count = Number(view.getBigInt64(p, true));
    p += 8;
    if (count < 0) throw new TorchFormatError(`legacy torch file: storage '${key}' claims ${count} elements`);
    const size = count * BYTES_PER_ELEMENT[storage.dtype];
    if (p + size > bytes.byteLength) throw truncated(key, p + size, bytes.byteLength);
    storage.data = decodeLittleEndian(bytes.subarray(p, p + size), storage.dtype, count);
    p += size;
  }
  return collectTensors(root, (t) => resolve(t, storages));
}

export function readTorchZip(bytes: Uint8Array): Map<string, HostTensor> {
  const entries = readZipDirectory(bytes);
  const pklName = findDataPkl([...entries.keys()]);
  if (!pklName) throw new TorchFormatError("zip file has no '<name>/data.pkl': not a torch checkpoint");
  const prefix = pklName.slice(0, -'data.pkl'.length);
  const byteorder = entries.get(`${prefix}byteorder`);
  if (byteorder && new TextDecoder().decode(readStoredEntry(bytes, byteorder)).trim() === 'big') {
    throw new TorchFormatError('big-endian torch files are not supported');
  }
  const storages = new Map<string, StorageRef>();
  const root = unpickle(readStoredEntry(bytes, entries.get(pklName)!), 0, torchHooks(storages)).value;
  for (const storage of storages.values()) {
    const entry = entries.get(`${prefix}data/${storage.key}`);
    if (!entry) throw new TorchFormatError(`torch zip file lacks the data of storage '${storage.key}'`);
    const raw = readStoredEntry(bytes, entry);
    storage.data = decodeLittleEndian(raw, storage.dtype, Math.floor(raw.byteLength / BYTES_PER_ELEMENT[storage.dtype]));
  }
  return collectTensors(root, (t) => resolve(t, storages));
}

function findDataPkl(names: string[]): string | null {
  return names.find((n) => /^[^/]*\/?data\.pkl$/.test(n) && !n.includes('/data/')) ?? null;
}

function resolve(t: TensorRef, storages: Map<string, StorageRef>): HostTensor {
  const root = storages.get(t.storage.key);
  if (!root?.data) throw new TorchFormatError(`storage '${t.storage.key}' has no data (truncated file?)`);
  return materialize(t, root.data);
}

function truncated(key: string, needed: number, have: number): TorchFormatError {
  return new TorchFormatError(
    `truncated legacy torch file: storage '${key}' needs bytes up to ${needed}, the file has ${have}`,
  );
}
