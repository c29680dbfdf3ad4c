// Node-side loading of the MNIST asset and the shipped weight files for the MNIST tests.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultAssetPath, encodeMnistAsset } from '../../../scripts/build-mnist-asset.mjs';
import { parseMnistAsset, type MnistDigits } from '../../../src/core/data/mnist';

export const repoRoot = resolve(__dirname, '..', '..', '..');

/** The asset the app serves (public/data/mnist.bin); built in memory when `npm run assets` has not run. */
export function assetBytes(): Uint8Array {
  return existsSync(defaultAssetPath) ? new Uint8Array(readFileSync(defaultAssetPath)) : encodeMnistAsset();
}

let cached: MnistDigits | null = null;
export function mnistDigits(): MnistDigits {
  cached ??= parseMnistAsset(assetBytes());
  return cached;
}

export function repoFile(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(repoRoot, relative)));
}
