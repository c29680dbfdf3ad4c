// PNG input for `cm edit` (masks and strokes): 8-bit grey, grey+alpha, RGB and RGBA, all five filters.
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { MASK_PRESETS } from '../../core/edit/index';
import { UsageError, type ParsedArgs } from '../args';
import { SIDE, stringFlag } from './editFlags';

/** A 28x28 8-bit PNG (grey, grey+alpha, RGB or RGBA; not interlaced) as grey levels in [0, 1]. */
export function readImageFlag(args: ParsedArgs, name: 'mask' | 'image'): Float32Array {
  const path = stringFlag(args, name)!;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    const hint = name === 'mask' ? ` (or a preset: ${MASK_PRESETS.join(', ')})` : '';
    throw new UsageError(`--${name}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})${hint}`);
  }
  let img;
  try {
    img = decodePngGrey(bytes);
  } catch (e) {
    throw new UsageError(`--${name}: ${path}: ${(e as Error).message}`);
  }
  if (img.width !== SIDE || img.height !== SIDE) throw new UsageError(`--${name}: ${path} is ${img.width}x${img.height}; the digits are ${SIDE}x${SIDE}`);
  return img.grey;
}

export function decodePngGrey(bytes: Uint8Array): { width: number; height: number; grey: Float32Array } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 8 || sig.some((b, i) => bytes[i] !== b)) throw new Error('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  for (let o = 8; o + 8 <= bytes.length;) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    const data = bytes.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
      const [depth, colour, , , interlace] = data.subarray(8, 13);
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colour] ?? 0;
      if (depth !== 8 || channels === 0 || interlace !== 0) throw new Error('only 8-bit, non-interlaced grey/RGB(A) PNGs are supported');
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    o += 12 + len;
  }
  if (!channels || idat.length === 0) throw new Error('the PNG has no image data');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = new Uint8Array(height * stride);
  for (let r = 0; r < height; r++) {
    const filter = raw[r * (stride + 1)];
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
  const grey = new Float32Array(width * height);
  for (let k = 0; k < width * height; k++) {
    const p = px.subarray(k * channels, (k + 1) * channels);
    const level = channels >= 3 ? (p[0] + p[1] + p[2]) / 3 : p[0];
    const alpha = channels === 2 ? p[1] : channels === 4 ? p[3] : 255;
    grey[k] = (level / 255) * (alpha / 255); // transparent = nothing painted
  }
  return { width, height, grey };
}
