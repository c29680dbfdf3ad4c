import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLpips, type Lpips } from '../../../src/core/lpips/metric';
import type { LpipsNet } from '../../../src/core/lpips/nets';
import { nchwToNhwc, syntheticImagePair, syntheticLpipsWeights } from '../../../src/core/lpips/synthetic';
import { gradWrt } from './gradWrt';
import { readFixtureJson } from './sharedData';

interface Case {
  backbone: LpipsNet;
  size: number;
  image_A_sha256: string;
  image_B_sha256: string;
  lpips_float64: number;
  per_layer_float64: number[];
  grad_wrt_B_l2_float64: number;
  grad_wrt_B_first4_float64: number[];
}

const { cases } = readFixtureJson<{ cases: Case[] }>('synthetic-weights.json');
const rel = (got: number, want: number) => Math.abs(got / want - 1);

function pair(size: number): { a: tf.Tensor4D; b: tf.Tensor4D } {
  const { a, b } = syntheticImagePair(size);
  const shape: [number, number, number, number] = [1, size, size, 3];
  return {
    a: tf.tensor4d(nchwToNhwc(a, [1, 3, size, size]), shape),
    b: tf.tensor4d(nchwToNhwc(b, [1, 3, size, size]), shape),
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('synthetic generator', () => {
  it.each([64, 32, 28])('reproduces the reference images bit for bit at %i px (sha256 of float32 NCHW)', (size) => {
    const c = cases.find((x) => x.size === size)!;
    const { a, b } = syntheticImagePair(size);
    const sha = (x: Float32Array) => createHash('sha256').update(new Uint8Array(x.buffer)).digest('hex');
    expect(sha(a)).toBe(c.image_A_sha256);
    expect(sha(b)).toBe(c.image_B_sha256);
  });
});

describe('LPIPS v0.1 with hash-generated weights matches the reference implementation', () => {
  for (const c of cases) {
    // VGG16 at 64 px takes 20-40 s on the pure-JS cpu backend; every listed row still runs.
    it(`${c.backbone} at ${c.size} px: value, per-layer values, gradient w.r.t. B (rel 1e-5)`, () => {
      const lpips = createLpips(syntheticLpipsWeights(c.backbone), { resolution: 'native' });
      const { a, b } = pair(c.size);
      let perLayer: tf.Tensor1D | null = null;
      // One forward + backward pass; the per-layer values are kept out of the gradient's tidy.
      const grad = gradWrt((y: tf.Tensor4D) => {
        const layers = lpips.perLayer(a, y);
        perLayer = tf.keep(tf.concat(layers));
        return tf.sum(tf.addN(layers));
      })(b);
      const layers = Array.from(perLayer!.dataSync());
      const value = layers.reduce((s, x) => s + x, 0);
      const gradNchw = Array.from(tf.tidy(() => tf.transpose(grad, [0, 3, 1, 2]).dataSync()));
      const gradNorm = Math.sqrt(gradNchw.reduce((s, x) => s + x * x, 0));
      expect(rel(value, c.lpips_float64)).toBeLessThan(1e-5);
      layers.forEach((v, l) => expect(rel(v, c.per_layer_float64[l])).toBeLessThan(1e-5));
      expect(rel(gradNorm, c.grad_wrt_B_l2_float64)).toBeLessThan(1e-5);
      c.grad_wrt_B_first4_float64.forEach((g, i) => expect(gradNchw[i]).toBeCloseTo(g, 8));
      tf.dispose([a, b, grad, perLayer!]);
      lpips.dispose();
    });
  }
});

describe('LPIPS metric properties (squeeze, synthetic weights)', () => {
  let lpips: Lpips;
  let a: tf.Tensor4D;
  let b: tf.Tensor4D;
  beforeAll(() => {
    lpips = createLpips(syntheticLpipsWeights('squeeze'), { resolution: 'native' });
    ({ a, b } = pair(32));
  });
  afterAll(() => {
    tf.dispose([a, b]);
    lpips.dispose();
  });

  it('gives d(x, x) = 0, d(x, y) = d(y, x) > 0, and per-layer values that sum to the total', () => {
    const [dxx, dxy, dyx, layerSum] = tf.tidy(() => [
      lpips.distance(a, a), lpips.distance(a, b), lpips.distance(b, a), tf.addN(lpips.perLayer(a, b)),
    ]).map((t) => { const v = t.dataSync()[0]; t.dispose(); return v; });
    expect(dxx).toBe(0);
    expect(dxy).toBeGreaterThan(0);
    expect(dyx).toBeCloseTo(dxy, 7);
    expect(layerSum).toBeCloseTo(dxy, 7);
  });

  it('returns one non-negative distance per batch element, in order', () => {
    const d = tf.tidy(() => {
      const x = tf.concat([a, b, a]);
      const y = tf.concat([b, b, tf.neg(a)]);
      return lpips.distance(x as tf.Tensor4D, y as tf.Tensor4D);
    });
    const v = Array.from(d.dataSync());
    d.dispose();
    const single = tf.tidy(() => lpips.distance(a, b).dataSync()[0]);
    expect(v).toHaveLength(3);
    expect(v[0]).toBeCloseTo(single, 7);
    expect(v[1]).toBe(0);
    expect(v[2]).toBeGreaterThan(0);
  });

  it('has a gradient that agrees with central finite differences along a random direction', () => {
    const x = tf.tidy(() => tf.slice(a, [0, 0, 0, 0], [1, 24, 24, 3]) as tf.Tensor4D);
    const y = tf.tidy(() => tf.slice(b, [0, 0, 0, 0], [1, 24, 24, 3]) as tf.Tensor4D);
    // Another hash image as the direction: a step of 3e-4 is small enough to cross few ReLU kinks and large enough to stay above float32 rounding (agreement ~1e-3).
    const dir = tf.tidy(() => tf.slice(a, [0, 8, 8, 0], [1, 24, 24, 3]) as tf.Tensor4D);
    const f = (yy: tf.Tensor4D) => tf.tidy(() => lpips.distance(x, yy).dataSync()[0]);
    const g = gradWrt((yy: tf.Tensor4D) => tf.sum(lpips.distance(x, yy)))(y);
    const analytic = tf.tidy(() => tf.sum(tf.mul(g, dir)).dataSync()[0]);
    const h = 3e-4;
    const plus = tf.tidy(() => tf.add(y, tf.mul(dir, h)) as tf.Tensor4D);
    const minus = tf.tidy(() => tf.sub(y, tf.mul(dir, h)) as tf.Tensor4D);
    const fd = (f(plus) - f(minus)) / (2 * h);
    expect(Math.abs(analytic)).toBeGreaterThan(1e-4);
    expect(Math.abs(fd - analytic)).toBeLessThan(1e-2 * Math.abs(analytic));
    tf.dispose([x, y, g, dir, plus, minus]);
  });

  it('repeats grey MNIST-size images to RGB and upsamples them bilinearly to the LPIPS resolution', () => {
    const at64 = createLpips(syntheticLpipsWeights('squeeze'), { resolution: 64 });
    const [grey, rgbUpsampled] = tf.tidy(() => {
      const x = tf.slice(a, [0, 0, 0, 0], [1, 28, 28, 1]) as tf.Tensor4D;
      const y = tf.slice(b, [0, 0, 0, 1], [1, 28, 28, 1]) as tf.Tensor4D;
      const up = (t: tf.Tensor4D) => tf.image.resizeBilinear(tf.tile(t, [1, 1, 1, 3]) as tf.Tensor4D, [64, 64], false, true);
      return [at64.distance(x, y).dataSync()[0], at64.distance(up(x), up(y)).dataSync()[0]];
    });
    expect(grey).toBeGreaterThan(0);
    expect(grey).toBeCloseTo(rgbUpsampled, 6);
    at64.dispose();
  });

  it('refuses images smaller than the backbone accepts', () => {
    const tiny = tf.zeros([1, 16, 16, 3]) as tf.Tensor4D;
    expect(() => lpips.distance(tiny, tiny)).toThrow(/at least 17 px/);
    tiny.dispose();
  });

  it('keeps the backbone frozen (no tf.Variables) and leaks no tensors per call', () => {
    const variablesBefore = Object.keys(tf.engine().registeredVariables).length;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      const g = gradWrt((y: tf.Tensor4D) => tf.sum(lpips.distance(a, y)))(b);
      g.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(tf.engine().registeredVariables).length).toBe(variablesBefore);
  });

  it('works inside tf.variableGrads with gradients reaching a trainable input', () => {
    const v = tf.variable(b, true, 'lpips_test_input');
    const { value, grads } = tf.variableGrads(() => tf.sum(lpips.distance(a, v)) as tf.Scalar, [v]);
    expect(value.dataSync()[0]).toBeGreaterThan(0);
    expect(tf.tidy(() => tf.norm(grads[v.name]).dataSync()[0])).toBeGreaterThan(0);
    tf.dispose([value, grads[v.name], v]);
  });
});
