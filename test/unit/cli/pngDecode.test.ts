// PNG input bugs the fuzzer (test/unit/fuzz/png.fuzz.test.ts) found in the old decoder, one example each:
// it allocated from the header's size, read past short data silently, ignored bad filter bytes and CRCs.
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PngError, decodePngGrey } from '../../../src/cli/pngDecode';
import { PNG_SIGNATURE, chunk, filteredPng, pngHeader } from './pngBuilder';
import { concat } from '../fuzz/fuzzKit';

const grey = Uint8Array.from({ length: 16 }, (_, i) => i * 16);

describe('PNG decoder', () => {
  it('its test files are framed as the PNG standard says (the IEND chunk every PNG ends with)', () => {
    // Length 0, "IEND", CRC AE 42 60 82: fixed by the standard, so the chunk writer the builder uses is
    // checked against it and not only against the decoder.
    expect(Array.from(chunk('IEND', new Uint8Array(0)))).toEqual([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  });

  it('reads a 4x4 grey image with all five filters', () => {
    const img = decodePngGrey(filteredPng(grey, 4, 4, 0, [0, 1, 2, 3, 4]));
    expect(Array.from(img.grey, (g) => Math.round(g * 255))).toEqual(Array.from(grey));
  });

  it('a header claiming 100000x100000 pixels is refused before anything is allocated', () => {
    const bytes = concat(PNG_SIGNATURE, chunk('IHDR', pngHeader(100_000, 100_000, 0)), chunk('IDAT', deflateSync(new Uint8Array(10))), chunk('IEND', new Uint8Array(0)));
    expect(() => decodePngGrey(bytes)).toThrow(PngError);
    expect(() => decodePngGrey(bytes)).toThrow(/100000x100000, more than the 16777216 pixels accepted/);
  });

  it('image data shorter than its rows is an error (it used to decode as black)', () => {
    const bytes = filteredPng(grey, 4, 4, 0, [0], (raw) => raw.subarray(0, 10));
    expect(() => decodePngGrey(bytes)).toThrow(/truncated PNG image data: 10 bytes, a 4x4 image needs 20/);
  });

  it('image data longer than its rows stops at the size the header promises', () => {
    const bytes = filteredPng(grey, 4, 4, 0, [0], (raw) => concat(raw, new Uint8Array(100)));
    expect(() => decodePngGrey(bytes)).toThrow(/holds more than 4x4 pixels/);
  });

  it('a filter byte above 4 is an error (it used to be read as "none")', () => {
    const bytes = filteredPng(grey, 4, 4, 0, [0], (raw) => { const r = raw.slice(); r[5] = 7; return r; });
    expect(() => decodePngGrey(bytes)).toThrow(/row 1 has filter type 7/);
  });

  it('a flipped bit in the image data fails the CRC check', () => {
    const bytes = filteredPng(grey, 4, 4, 0, [0]).slice();
    const idat = bytes.findIndex((_, i) => String.fromCharCode(...bytes.subarray(i, i + 4)) === 'IDAT');
    bytes[idat + 6] ^= 1;
    expect(() => decodePngGrey(bytes)).toThrow(/chunk "IDAT" at byte \d+ fails its CRC check/);
  });

  it('a file cut inside a chunk is truncated, not a zlib error', () => {
    const bytes = filteredPng(grey, 4, 4, 0, [0]);
    expect(() => decodePngGrey(bytes.subarray(0, bytes.length - 20))).toThrow(/truncated PNG/);
  });
});
