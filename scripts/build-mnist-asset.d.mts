// Types for build-mnist-asset.mjs (imported by the MNIST tests).
export const HEADER_BYTES: number;
export const defaultAssetPath: string;
export function readPackageDigits(): number[][];
export function encodeMnistAsset(digits?: number[][]): Uint8Array;
