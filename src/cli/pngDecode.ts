// PNG input (masks and strokes for `cm edit`): 8-bit grey, grey+alpha, RGB and RGBA, all five filters,
// not interlaced. Trusts nothing: chunk lengths and CRCs are checked, the image size is capped before
// anything is allocated, and the inflated data must be exactly the size the header promises.
import { inflateSync } from 'node:zlib';
import { crc32 } from './png';

export class PngError extends Error {
  override name = 'PngError';
}

export interface GreyImage {
  width: number;
  height: number;
  /** Grey levels in [0, 1], row-major, premultiplied by alpha (transparent = nothing painted). */
  grey: Float32Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };
/** Default cap on width x height: far above the 28x28 digits, far below what would exhaust memory. */
export const DEFAULT_MAX_PIXELS = 4096 * 4096;

interface Header {
  width: number;
  height: number;
  channels: number;
}

export function decodePngGrey(bytes: Uint8Array, maxPixels = DEFAULT_MAX_PIXELS): GreyImage {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new PngError('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Header | null = null;
  const idat: Uint8Array[] = [];
  let ended = false;
  for (let o = 8; !ended;) {
    if (o + 12 > bytes.length) throw new PngError(`truncated PNG: no complete chunk at byte ${o} (IEND missing)`);
    const len = view.getUint32(o);
    const type = String.fromCharCode(bytes[o + 4], bytes[o + 5], bytes[o + 6], bytes[o + 7]);
    if (o + 12 + len > bytes.length) throw new PngError(`truncated PNG: chunk ${JSON.stringify(type)} needs ${len} bytes at byte ${o + 8}`);
    const data = bytes.subarray(o + 8, o + 8 + len);
    if (crc32(bytes.subarray(o + 4, o + 8 + len)) !== view.getUint32(o + 8 + len)) {
      throw new PngError(`corrupt PNG: chunk ${JSON.stringify(type)} at byte ${o} fails its CRC check`);
    }
    if (header === null && type !== 'IHDR') throw new PngError('corrupt PNG: the first chunk is not IHDR');
    if (type === 'IHDR') {
      if (header) throw new PngError('corrupt PNG: more than one IHDR chunk');
      header = parseHeader(data, maxPixels);
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      ended = true;
    } else if (!/^[a-z]/.test(type) && type !== 'PLTE') {
      // Ancillary chunks (lower-case first letter) may be skipped; unknown critical ones may not.
      throw new PngError(`unsupported critical PNG chunk ${JSON.stringify(type)}`);
    }
    o += 12 + len;
  }
  if (!header || idat.length === 0) throw new PngError('the PNG has no image data');
  const px = unfilter(inflateExact(idat, header), header);
  const { width, height, channels } = header;
  const grey = new Float32Array(width * height);
  for (let k = 0; k < width * height; k++) {
    const p = px.subarray(k * channels, (k + 1) * channels);
    const level = channels >= 3 ? (p[0] + p[1] + p[2]) / 3 : p[0];
    const alpha = channels === 2 ? p[1] : channels === 4 ? p[3] : 255;
    grey[k] = (level / 255) * (alpha / 255);
  }
  return { width, height, grey };
}

function parseHeader(data: Uint8Array, maxPixels: number): Header {
  if (data.length !== 13) throw new PngError(`corrupt PNG: IHDR has ${data.length} bytes, not 13`);
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const width = v.getUint32(0);
  const height = v.getUint32(4);
  const [depth, colour, compression, filter, interlace] = data.subarray(8, 13);
  if (width === 0 || height === 0) throw new PngError(`corrupt PNG: image size ${width}x${height}`);
  if (width * height > maxPixels) throw new PngError(`the PNG is ${width}x${height}, more than the ${maxPixels} pixels accepted`);
  const channels = CHANNELS[colour] ?? 0;
  if (depth !== 8 || channels === 0 || interlace !== 0) {
    throw new PngError(`only 8-bit, non-interlaced grey/RGB(A) PNGs are supported (bit depth ${depth}, colour type ${colour}, interlace ${interlace})`);
  }
  if (compression !== 0 || filter !== 0) throw new PngError(`corrupt PNG: compression method ${compression}, filter method ${filter}`);
  return { width, height, channels };
}

/** Inflates the IDAT stream, refusing to produce more than the header's rows (a zip bomb stops there). */
function inflateExact(idat: Uint8Array[], h: Header): Uint8Array {
  const expected = h.height * (h.width * h.channels + 1);
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: expected });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new PngError(`corrupt PNG: the image data holds more than ${h.width}x${h.height} pixels`);
    throw new PngError(`corrupt PNG image data: ${(e as Error).message}`);
  }
  if (raw.length !== expected) {
    throw new PngError(`truncated PNG image data: ${raw.length} bytes, a ${h.width}x${h.height} image needs ${expected}`);
  }
  return raw;
}

function unfilter(raw: Uint8Array, { width, height, channels }: Header): Uint8Array {
  const stride = width * channels;
  const px = new Uint8Array(height * stride);
  for (let r = 0; r < height; r++) {
    const filter = raw[r * (stride + 1)];
    if (filter > 4) throw new PngError(`corrupt PNG: row ${r} has filter type ${filter} (0-4 exist)`);
    const line = raw.subarray(r * (stride + 1) + 1, (r + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? px[r * stride + i - channels] : 0;
      const b = r > 0 ? px[(r - 1) * stride + i] : 0;
      const c = r > 0 && i >= channels ? px[(r - 1) * stride + i - channels] : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      px[r * stride + i] = (line[i] + pred) & 0xff;
    }
  }
  return px;
}
