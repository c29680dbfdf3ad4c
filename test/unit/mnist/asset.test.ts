import { describe, expect, it } from 'vitest';
import { readPackageDigits } from '../../../scripts/build-mnist-asset.mjs';
import { mnistSignedPixels, mnistSplit, parseMnistAsset, signedToGrey } from '../../../src/core/data/mnist';
import { assetBytes, mnistDigits } from './helpers';

describe('MNIST uint8 asset', () => {
  it('round-trips exactly to the mnist package pixels and labels', () => {
    const d = mnistDigits();
    expect([d.count, d.rows, d.cols]).toEqual([10000, 28, 28]);
    const pkg = readPackageDigits();
    let n = 0;
    let mismatches = 0;
    pkg.forEach((values, label) => {
      const images = values.length / 784;
      for (let i = 0; i < images; i++, n++) {
        if (d.labels[n] !== label) mismatches++;
        for (let k = 0; k < 784; k++) {
          // the package stores round(p / 255, 3)
          if (Number((d.pixels[n * 784 + k] / 255).toFixed(3)) !== values[i * 784 + k]) mismatches++;
        }
      }
    });
    expect(n).toBe(10000);
    expect(mismatches).toBe(0);
  });

  it('refuses bytes that are not the asset', () => {
    const bytes = assetBytes();
    expect(() => parseMnistAsset(bytes.subarray(0, 1000))).toThrow(/header implies/);
    const bad = bytes.slice(0, 64);
    bad[0] = 0x58;
    expect(() => parseMnistAsset(bad)).toThrow(/magic/);
  });

  it('scales grey levels to [-1, 1] and back', () => {
    const d = mnistDigits();
    const x = mnistSignedPixels(d, [0, 9999]);
    expect(Math.min(...x)).toBe(-1);
    expect(Math.max(...x)).toBeCloseTo(1, 6);
    expect(Array.from(signedToGrey(x))).toEqual(Array.from(d.pixels.subarray(0, 784)).concat(Array.from(d.pixels.subarray(9999 * 784))));
  });

  it('holds out every tenth digit, about 10% of each class', () => {
    const d = mnistDigits();
    const { train, heldOut } = mnistSplit(d.count);
    expect([train.length, heldOut.length]).toEqual([9000, 1000]);
    const perClass = new Array(10).fill(0);
    for (const i of heldOut) perClass[d.labels[i]]++;
    for (const c of perClass) expect(c).toBeGreaterThan(80);
  });
});
