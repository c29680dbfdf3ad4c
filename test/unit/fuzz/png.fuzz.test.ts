// PNG input (cm edit --mask/--image) under random and mutated files: a valid image or a PngError.
// Mutations are tried twice: as they are (the CRC catches most) and with every chunk CRC repaired, so the
// header checks, the zlib stream and the row filters see the damage too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from '../../../src/cli/png';
import { filteredPng } from '../cli/pngBuilder';
import { PngError, decodePngGrey } from '../../../src/cli/pngDecode';
import { InputCounter, budget, expectTypedOutcome, mutatedFrom } from './fuzzKit';

/** Rewrites every chunk CRC that can be found, so a mutation reaches the code behind the CRC check. */
function repairCrcs(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const v = new DataView(out.buffer);
  for (let o = 8; o + 12 <= out.length;) {
    const len = v.getUint32(o);
    if (o + 12 + len > out.length) break;
    v.setUint32(o + 8 + len, crc32(out.subarray(o + 4, o + 8 + len)));
    o += 12 + len;
  }
  return out;
}

const rgba = Uint8Array.from({ length: 6 * 5 * 4 }, (_, i) => (i * 37) & 0xff);
const SEEDS = [
  encodePng(rgba, 6, 5),
  filteredPng(Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 13) & 0xff), 28, 28, 0, [0, 1, 2, 3, 4]),
  filteredPng(Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 91) & 0xff), 4, 3, 2, [4, 3, 1]),
  filteredPng(Uint8Array.from({ length: 3 * 3 * 2 }, (_, i) => (i * 50) & 0xff), 3, 3, 4, [2, 4, 0]),
];

function checkImage(img: ReturnType<typeof decodePngGrey>): void {
  expect(img.grey.length).toBe(img.width * img.height);
  expect(img.grey.every((g) => g >= 0 && g <= 1)).toBe(true);
}

const decode = (bytes: Uint8Array, what: string) => expectTypedOutcome(() => decodePngGrey(bytes), [PngError], what);

describe('PNG input, fuzzed', () => {
  it('mutated PNGs (truncations, bit flips, huge lengths) decode or fail with PngError', () => {
    const counter = new InputCounter('png: mutated files, CRCs as they are');
    fc.assert(fc.property(mutatedFrom(SEEDS), (bytes) => {
      counter.tick();
      const r = decode(bytes, 'mutated png');
      if (r.ok) checkImage(r.value!);
    }), budget(2000, 2500));
    counter.report();
  });

  it('mutated PNGs with repaired CRCs (bad headers, sizes, zlib streams, filter bytes) decode or fail with PngError', () => {
    const counter = new InputCounter('png: mutated files, CRCs repaired');
    let rejected = 0;
    fc.assert(fc.property(mutatedFrom(SEEDS).map(repairCrcs), (bytes) => {
      counter.tick();
      const r = decode(bytes, 'crc-repaired png');
      if (r.ok) checkImage(r.value!);
      else rejected++;
    }), budget(2000, 3500));
    counter.report();
    expect(rejected).toBeGreaterThan(counter.count / 10);
  });

  it('random images in every colour type and filter round-trip exactly', () => {
    const counter = new InputCounter('png: round trips');
    const image = fc.record({ w: fc.integer({ min: 1, max: 9 }), h: fc.integer({ min: 1, max: 9 }), colour: fc.constantFrom(0 as const, 2 as const, 4 as const, 6 as const),
      filters: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 }), seed: fc.nat() });
    fc.assert(fc.property(image, ({ w, h, colour, filters, seed }) => {
      counter.tick();
      const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colour];
      const px = Uint8Array.from({ length: w * h * channels }, (_, i) => (seed + i * 2654435761) >>> 24);
      const img = decodePngGrey(filteredPng(px, w, h, colour, filters));
      expect([img.width, img.height]).toEqual([w, h]);
      for (let k = 0; k < w * h; k++) {
        const p = px.subarray(k * channels, (k + 1) * channels);
        const level = channels >= 3 ? (p[0] + p[1] + p[2]) / 3 : p[0];
        const alpha = channels === 2 ? p[1] : channels === 4 ? p[3] : 255;
        expect(img.grey[k]).toBeCloseTo((level / 255) * (alpha / 255), 6);
      }
    }), budget(400, 2000));
    counter.report();
  });
});
