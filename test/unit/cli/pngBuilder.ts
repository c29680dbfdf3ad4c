// Builds PNGs by hand for the decoder's tests: any colour type, any row filters, chunks with correct CRCs.
import { deflateSync } from 'node:zlib';
import { pngChunk as chunk } from '../../../src/cli/png';
import { concatBytes as concat } from '../../../src/core/io/bytes';

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

// The product's chunk writer: pngDecode.test.ts pins it to the PNG standard's bytes, so the decoder's
// tests do not rest on the encoder agreeing with itself.
export { chunk };

/** A PNG whose rows use the given filter types (all 0-4), so the decoder's unfiltering is exercised. */
export function filteredPng(px: Uint8Array, width: number, height: number, colour: 0 | 2 | 4 | 6, filters: number[],
  rawOverride?: (raw: Uint8Array) => Uint8Array): Uint8Array {
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colour];
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  for (let r = 0; r < height; r++) {
    const f = filters[r % filters.length];
    raw[r * (stride + 1)] = f;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? px[r * stride + i - channels] : 0;
      const b = r > 0 ? px[(r - 1) * stride + i] : 0;
      const c = r > 0 && i >= channels ? px[(r - 1) * stride + i - channels] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][f];
      raw[r * (stride + 1) + 1 + i] = (px[r * stride + i] - pred) & 0xff;
    }
  }
  const ihdr = pngHeader(width, height, colour);
  return concat(PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('tEXt', new TextEncoder().encode('k\0v')),
    chunk('IDAT', deflateSync(rawOverride ? rawOverride(raw) : raw)), chunk('IEND', new Uint8Array(0)));
}

export function pngHeader(width: number, height: number, colour: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([8, colour, 0, 0, 0], 8);
  return ihdr;
}
