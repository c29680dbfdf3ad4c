// Hash-generated LPIPS weights and images (lpips.md, "Tests without real weights"). JavaScript and the
// Python reference produce them bit for bit, so the metric can be checked without any real weights.

import { hash32 } from '../rng';
import type { HostTensor } from '../io/tensor';
import { writeSafetensors } from '../io/safetensors';
import type { LpipsWeights } from './metric';
import { type LpipsNet, NET_SPECS, linKey } from './nets';

/**
 * u(k, j) = hash((j + k * 2^24) mod 2^32) / 2^32 in [0, 1), in double. Each generated value is computed
 * from it in double and rounded once to float32 when stored (the reference images' sha256 values
 * confirm that u itself is not rounded first).
 */
export function hashUniform(k: number, j: number): number {
  return hash32((j + k * 2 ** 24) % 2 ** 32) / 2 ** 32;
}

/** Parameters in state-dict order: backbone tensors (stream k = 0, 1, ...), then the lin vectors. */
export function syntheticLpipsWeights(net: LpipsNet): LpipsWeights {
  const spec = NET_SPECS[net];
  const backbone = new Map<string, HostTensor>();
  let k = 0;
  for (const [name, shape] of spec.params) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.endsWith('.weight')) {
      const bound = Math.sqrt(6 / (shape[1] * shape[2] * shape[3]));
      for (let j = 0; j < data.length; j++) data[j] = (2 * hashUniform(k, j) - 1) * bound;
    } else {
      for (let j = 0; j < data.length; j++) data[j] = (2 * hashUniform(k, j) - 1) * 0.05;
    }
    backbone.set(name, { dtype: 'float32', shape, data });
    k++;
  }
  const lin = spec.tapChannels.map((c) => {
    const w = new Float32Array(c);
    for (let j = 0; j < c; j++) w[j] = 0.1 * hashUniform(k, j);
    k++;
    return w;
  });
  return { net, backbone, lin };
}

/** The test image pair, NCHW [1, 3, size, size] row-major: A = f32(a), B = f32(0.6 a + 0.4 z). */
export function syntheticImagePair(size: number): { a: Float32Array; b: Float32Array } {
  const n = 3 * size * size;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const x = 2 * hashUniform(200, j) - 1;
    const z = 2 * hashUniform(201, j) - 1;
    a[j] = x;
    b[j] = 0.6 * x + 0.4 * z;
  }
  return { a, b };
}

/** NCHW -> NHWC for a [B, C, H, W] row-major array. */
export function nchwToNhwc(x: Float32Array, [b, c, h, w]: [number, number, number, number]): Float32Array {
  const out = new Float32Array(x.length);
  for (let n = 0; n < b; n++)
    for (let ch = 0; ch < c; ch++)
      for (let i = 0; i < h * w; i++) out[(n * h * w + i) * c + ch] = x[(n * c + ch) * h * w + i];
  return out;
}

/**
 * The synthetic weights as two safetensors files laid out like the real ones (backbone under
 * torchvision `features` keys, lin under lin{l}.model.1.weight): for download and drop-a-file tests.
 */
export function syntheticWeightFiles(net: LpipsNet): { backbone: Uint8Array; lin: Uint8Array } {
  const w = syntheticLpipsWeights(net);
  const lin = new Map(w.lin.map((data, l) => [linKey(l), { shape: [1, data.length, 1, 1], data }]));
  return { backbone: writeSafetensors(w.backbone), lin: writeSafetensors(lin) };
}
