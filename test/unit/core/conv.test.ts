import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { conv2dSameWithCustomGradient } from '../../../src/core/models/conv';
import { channelSums } from '../../../src/core/models/channelSums';
import { createUnet, unetPresets } from '../../../src/core/models/unet';
import { Rng } from '../../../src/core/rng';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('convolution with a hand-written gradient (for WASM)', () => {
  it.each([[3, 3], [1, 1]])('%ix%i: value and gradients equal tfjs\'s own on the cpu backend', async (kh, kw) => {
    await tf.setBackend('cpu');
    const rng = new Rng(5);
    const x = tf.tensor4d(rng.normals(2 * 6 * 5 * 3), [2, 6, 5, 3]);
    const w = tf.tensor4d(rng.normals(kh * kw * 3 * 4), [kh, kw, 3, 4]);
    const b = tf.tensor1d(rng.normals(4));
    const up = tf.tensor4d(rng.normals(2 * 6 * 5 * 4), [2, 6, 5, 4]);
    const ref = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, 'same'), bb), up));
    const ours = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(conv2dSameWithCustomGradient(xx as tf.Tensor4D, ww as tf.Tensor4D, bb as tf.Tensor1D), up));
    const g1 = tf.grads(ref)([x, w, b]);
    const g2 = tf.grads(ours)([x, w, b]);
    for (let i = 0; i < 3; i++) {
      const a = await g1[i].data();
      const c = await g2[i].data();
      a.forEach((v, j) => expect(c[j]).toBeCloseTo(v, 4));
    }
  });

  it.each([['cpu', 8], ['wasm', 8], ['wasm', 6]] as const)('bias gradient on %s (%i channels): channel sums equal tf.sum', async (backend, C) => {
    expect(await tf.setBackend(backend)).toBe(true);
    const x = tf.tensor4d(new Rng(8).normals(3 * 5 * 4 * C).map((v) => v + 0.3), [3, 5, 4, C]);
    const [ours, ref] = [channelSums(x), tf.sum(x, [0, 1, 2])];
    expect(ours.shape).toEqual([C]);
    const r = await ref.data();
    (await ours.data()).forEach((v, j) => expect(v).toBeCloseTo(r[j], 4));
    tf.dispose([x, ours, ref]);
  });

  it.each([[3, 3], [1, 1]])('%ix%i on WASM: gradients equal tfjs\'s own computed on the cpu backend', async (kh, kw) => {
    const rng = new Rng(6);
    const xs = rng.normals(3 * 7 * 4 * 5);
    const ws = rng.normals(kh * kw * 5 * 2);
    const bs = rng.normals(2);
    const ups = rng.normals(3 * 7 * 4 * 2);
    const gradsOn = async (backend: string, f: typeof tf.conv2d | null) => {
      expect(await tf.setBackend(backend)).toBe(true);
      const [x, w, b, up] = [tf.tensor4d(xs, [3, 7, 4, 5]), tf.tensor4d(ws, [kh, kw, 5, 2]), tf.tensor1d(bs), tf.tensor4d(ups, [3, 7, 4, 2])];
      const loss = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f
        ? tf.add(f(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, 'same'), bb)
        : conv2dSameWithCustomGradient(xx as tf.Tensor4D, ww as tf.Tensor4D, bb as tf.Tensor1D), up));
      const g = tf.grads(loss)([x, w, b]);
      const out = await Promise.all(g.map((t) => t.data()));
      tf.dispose([x, w, b, up, ...g]);
      return out;
    };
    const reference = await gradsOn('cpu', tf.conv2d);
    const ours = await gradsOn('wasm', null);
    for (let i = 0; i < 3; i++) reference[i].forEach((v, j) => expect(ours[i][j]).toBeCloseTo(v, 3));
  });

  it('lets the tiny U-Net train on the WASM backend (no Conv2DBackpropFilter there)', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const net = createUnet(unetPresets.tiny);
    const params = net.init(new Rng(1)).map((v, i) => tf.variable(tf.tensor(v, net.params[i].shape)));
    const x = tf.tensor4d(new Rng(2).normals(2 * 28 * 28), [2, 28, 28, 1]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(net.forward(params, x, tf.tensor1d([0.1, -0.5])))) as tf.Scalar, params);
    const norms = await Promise.all(params.map((p) => tf.norm(grads[p.name]).data()));
    expect(norms.every((n) => Number.isFinite(n[0]))).toBe(true);
    expect(norms.every((n) => n[0] > 0)).toBe(true); // every parameter, filters included, gets a gradient
    tf.dispose([...params, x, ...Object.values(grads)]);
  });
});
