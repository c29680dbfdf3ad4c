// Minimal ZIP reader for the uncompressed (STORED) archives torch.save writes since torch 1.6.
// Reads the central directory (with ZIP64 fields, which large torch files use) and returns entries
// as subarrays of the input, without copying.

export interface ZipEntry {
  name: string;
  /** 0 = stored; anything else (8 = deflate) cannot be read here. */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export class ZipError extends Error {
  override name = 'ZipError';
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export function readZipDirectory(bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  let count = view.getUint16(eocd + 10, true);
  let dirSize = view.getUint32(eocd + 12, true);
  let dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR_SIG) {
      throw new ZipError('ZIP64 archive without a ZIP64 end-of-directory locator');
    }
    const z64 = safeNumber(view.getBigUint64(locator + 8, true));
    if (z64 + 56 > bytes.byteLength || view.getUint32(z64, true) !== ZIP64_EOCD_SIG) {
      throw new ZipError('truncated or invalid ZIP64 end-of-directory record');
    }
    count = safeNumber(view.getBigUint64(z64 + 32, true));
    dirSize = safeNumber(view.getBigUint64(z64 + 40, true));
    dirOffset = safeNumber(view.getBigUint64(z64 + 48, true));
  }
  if (dirOffset + dirSize > bytes.byteLength) throw new ZipError('truncated ZIP: central directory lies past the end');
  const entries = new Map<string, ZipEntry>();
  let p = dirOffset;
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.byteLength || view.getUint32(p, true) !== CENTRAL_SIG) {
      throw new ZipError(`corrupt ZIP central directory at entry ${i}`);
    }
    const method = view.getUint16(p + 10, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let localHeaderOffset = view.getUint32(p + 42, true);
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    if (extraEnd + commentLen > bytes.byteLength) {
      throw new ZipError(`corrupt ZIP central directory: entry ${i} runs past the end of the file`);
    }
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // ZIP64 extended information (id 1) holds, in order, only the fields that overflowed.
    while (e + 4 <= extraEnd) {
      const id = view.getUint16(e, true);
      const len = view.getUint16(e + 2, true);
      if (e + 4 + len > extraEnd) throw new ZipError(`corrupt ZIP: extra field of '${name}' runs past its entry`);
      if (id === 1) {
        let q = e + 4;
        const field = () => {
          if (q + 8 > e + 4 + len) throw new ZipError(`corrupt ZIP: ZIP64 field of '${name}' is too short`);
          const v = safeNumber(view.getBigUint64(q, true));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = field();
        if (compressedSize === 0xffffffff) compressedSize = field();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = field();
      }
      e += 4 + len;
    }
    entries.set(name, { name, method, compressedSize, size, localHeaderOffset });
    p = extraEnd + commentLen;
  }
  return entries;
}

/** The bytes of a STORED entry (a view into `bytes`). */
export function readStoredEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.method !== 0) {
    const how = entry.method === 8 ? 'deflate-compressed' : `compressed (method ${entry.method})`;
    throw new ZipError(
      `ZIP entry '${entry.name}' is ${how}; only uncompressed entries are supported (torch.save writes them that way)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = entry.localHeaderOffset;
  if (h + 30 > bytes.byteLength || view.getUint32(h, true) !== LOCAL_SIG) {
    throw new ZipError(`corrupt ZIP: no local header for '${entry.name}'`);
  }
  const start = h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true);
  if (start + entry.size > bytes.byteLength) {
    throw new ZipError(`truncated ZIP: entry '${entry.name}' needs ${entry.size} bytes at ${start}, file has ${bytes.byteLength}`);
  }
  return bytes.subarray(start, start + entry.size);
}

function findEndOfCentralDirectory(view: DataView): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, so search backwards from the end.
  const last = view.byteLength - 22;
  const first = Math.max(0, last - 65535);
  for (let p = last; p >= first; p--) {
    if (view.getUint32(p, true) === EOCD_SIG) return p;
  }
  throw new ZipError('not a complete ZIP archive: end-of-central-directory record missing (truncated file?)');
}

function safeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError('ZIP offset too large');
  return Number(v);
}
