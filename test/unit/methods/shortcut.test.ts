// Shortcut models (few-step-methods.md section 6): bootstrap targets and loss against the sheet's golden
// values (6.6) with the closed-form s(x, t, d) = 0.5 x + t - 2d, rows per level, the exact boundary
// X(x, t -> t) = x, and the flow-map error of the exact shortcut s* (which must be ~0).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Mixture } from '../../../src/core/data/mixture';
import { FlowMapProbe, flowMapError } from '../../../src/core/methods/flowMapError';
import { bootstrapLevels, shortcutMethod, type ShortcutDraws } from '../../../src/core/methods/shortcut';
import { Rng } from '../../../src/core/rng';
import { column, fakeContext, fakeNet } from './fakeNets';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const M = 128;
const L = Math.log2(M);
/** d back from the network's second time input k / log2 M, k = log2(1/d). */
const dOf = (cond: tf.Tensor, levels = L) => tf.pow(2, tf.mul(column(cond, 1), -levels));
const linear = fakeNet((x, cond) => tf.add(tf.mul(x, 0.5), tf.sub(column(cond, 0), tf.mul(dOf(cond), 2))));

describe('shortcut targets (sheet section 6.6)', () => {
  it('bootstrap target and loss of one row at x_t = (1, -1), t = 0.25, d = 0.125', () => {
    const ctx = fakeContext(linear, { shortcutM: M });
    // x_t = (1 - t) x_0 + t x_1 = (1, -1) with noise x_0 = data x_1 = (1, -1).
    const d: ShortcutDraws = { x0: Float32Array.of(1, -1), noise: Float32Array.of(1, -1), t: Float64Array.of(0.25), dNet: Float64Array.of(0.25), flowRows: 0 };
    const target = shortcutMethod.target(ctx, [], d, 0);
    const got = target.dataSync();
    expect(got[0]).toBeCloseTo(0.578125, 6);
    expect(got[1]).toBeCloseTo(-0.453125, 6);
    expect(shortcutMethod.loss(ctx, [], d, target, 0).dataSync()[0]).toBeCloseTo(0.0979004, 6);
  });

  it('flow rows regress the finest step onto x_1 - x_0', () => {
    const ctx = fakeContext(linear, { shortcutM: M });
    const d: ShortcutDraws = { x0: Float32Array.of(0.5, 0.2), noise: Float32Array.of(-1, 2), t: Float64Array.of(0.5), dNet: Float64Array.of(1 / M), flowRows: 1 };
    const got = shortcutMethod.target(ctx, [], d, 0).dataSync();
    expect(got[0]).toBeCloseTo(1.5, 6);
    expect(got[1]).toBeCloseTo(-1.8, 6);
  });

  it('rows per level j = 0..6 for M = 128 and fraction 1/8 (golden, including the B = 32 trap)', () => {
    const counts = (B: number) => [0, 1, 2, 3, 4, 5, 6].map((j) => bootstrapLevels(B, 1 / 8, 128).filter((v) => v === j).length);
    expect(counts(32)).toEqual([4, 0, 0, 0, 0, 0, 0]);
    expect(counts(64)).toEqual([2, 1, 1, 1, 1, 1, 1]);
    expect(counts(256)).toEqual([8, 4, 4, 4, 4, 4, 4]);
    expect(counts(512)).toEqual([10, 9, 9, 9, 9, 9, 9]);
  });

  it('draws put t on the grid of each row\'s step size', () => {
    const ctx = fakeContext(linear, { shortcutM: M, batchSize: 256, shortcutBootstrap: 0.25 });
    const d = shortcutMethod.draw(ctx, { data: new Rng(1, 'd'), train: new Rng(1, 't') }, 0);
    expect(d.flowRows).toBe(256 - 64);
    for (let i = 0; i < 256; i++) {
      expect(Number.isInteger(d.t[i] / d.dNet[i])).toBe(true);
      expect(d.t[i] + d.dNet[i]).toBeLessThanOrEqual(1);
    }
  });
});

describe('shortcut flow map', () => {
  it('X(x, t -> t) = x exactly', () => {
    const ctx = fakeContext(linear, { shortcutM: M });
    const x = tf.tensor2d([0.3, -0.7, 1.5, 2], [2, 2]);
    expect(Array.from(shortcutMethod.jump(ctx, [], x, Float64Array.of(0.3, 0.6), Float64Array.of(0.3, 0.6)).dataSync())).toEqual(Array.from(x.dataSync()));
  });

  it('the exact shortcut s* of data N(0, 0.25) has golden values and flow-map error ~ 0 on the whole grid', async () => {
    // sigma(t)^2 = (1 - t)^2 + 0.25 t^2 (noise N(0, I) at t = 0, data N(0, 0.25) at t = 1).
    const sig = (t: tf.Tensor) => tf.sqrt(tf.add(tf.square(tf.sub(1, t)), tf.mul(tf.square(t), 0.25)));
    const exact = fakeNet((x, cond) => {
      const t = column(cond, 0);
      const d = dOf(cond, 10); // M = 1024
      return tf.div(tf.mul(x, tf.sub(tf.div(sig(tf.add(t, d)), sig(t)), 1)), d);
    });
    const ctx = fakeContext(exact, { shortcutM: 1024 });
    const s1 = shortcutMethod.jump(ctx, [], tf.tensor2d([1, 1], [1, 2]), Float64Array.of(0), Float64Array.of(1)).dataSync();
    expect(s1[0] - 1).toBeCloseTo(-0.5, 5); // s*(1, 0, 1) = -0.5
    const s2 = shortcutMethod.jump(ctx, [], tf.tensor2d([1, 1], [1, 2]), Float64Array.of(0.5), Float64Array.of(0.75)).dataSync();
    expect((s2[0] - 1) / 0.25).toBeCloseTo(-0.7750969, 5);
    const gauss: Mixture = { weights: Float64Array.of(1), means: Float64Array.of(0, 0), stds: Float64Array.of(0.5), dim: 2 };
    const data = { dataShape: [2], sample: (n: number, rng: Rng) => rng.normals(2 * n, 0.5) };
    const probe = new FlowMapProbe(gauss, data, 1, 80, 64);
    const r = await flowMapError(shortcutMethod, { ...ctx, data }, [], probe);
    expect(r.cells).toHaveLength(8); // 4 starts x (data end, sigma/4)
    for (const c of r.cells) expect(c.error).toBeLessThan(2e-3);
  });
});
