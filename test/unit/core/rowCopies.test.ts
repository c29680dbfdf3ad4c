// The U-Net's row-copy kernels on cpu and wasm (rowCopies.ts) against the plain ops they replace: channel
// concatenation and its gradient, 2x nearest upsampling, and the 2x2 average pool's gradient. They only move
// values (the pool's gradient scales by 1/4 first, as AvgPoolGrad does), so everything must be equal exactly.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { avgPool2, concatChannels, upsample2Host, wasmCopier } from '../../../src/core/models/rowCopies';
import { upsample2ByOps } from '../../../src/core/models/unet';
import { Rng } from '../../../src/core/rng';

afterAll(async () => {
  await tf.setBackend('cpu');
});

it('the WebAssembly row copier builds and copies strided rows (else wasm would silently use JavaScript)', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const ops = wasmCopier(memory);
  expect(ops).not.toBeNull();
  const heap = new Float32Array(memory.buffer);
  heap.set([1, 2, 3, 4, 5, 6], 0);
  ops!.copyRows(0, 4 * 100, 3, 4, 8, 12); // first float of each pair, to every third slot from 100
  expect(Array.from(heap.subarray(100, 109))).toEqual([1, 0, 0, 3, 0, 0, 5, 0, 0]);
});

const values = async (t: tf.Tensor) => Array.from(await t.data());

describe.each(['cpu', 'wasm'])('row copies on %s', (backend) => {
  it('concatChannels and its gradient equal tf.concat along channels', async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    const rng = new Rng(3);
    const a = tf.tensor4d(rng.normals(2 * 3 * 4 * 5), [2, 3, 4, 5]);
    const b = tf.tensor4d(rng.normals(2 * 3 * 4 * 3), [2, 3, 4, 3]);
    const w = tf.tensor4d(rng.normals(2 * 3 * 4 * 8), [2, 3, 4, 8]);
    const ours = concatChannels(a, b);
    const ref = tf.concat([a, b], 3);
    expect(ours.shape).toEqual([2, 3, 4, 8]);
    expect(await values(ours)).toEqual(await values(ref));
    const loss = (f: (p: tf.Tensor4D, q: tf.Tensor4D) => tf.Tensor) => (p: tf.Tensor, q: tf.Tensor) =>
      tf.sum(tf.mul(f(p as tf.Tensor4D, q as tf.Tensor4D), w));
    const g = tf.grads(loss(concatChannels))([a, b]);
    const gRef = tf.grads(loss((p, q) => tf.concat([p, q], 3)))([a, b]);
    expect(g.map((t) => t.shape)).toEqual([[2, 3, 4, 5], [2, 3, 4, 3]]);
    for (let i = 0; i < 2; i++) expect(await values(g[i])).toEqual(await values(gRef[i]));
    tf.dispose([a, b, w, ours, ref, ...g, ...gRef]);
  });

  it('upsample2Host equals the concat + reshape upsampling', async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    const x = tf.tensor4d(new Rng(5).normals(2 * 3 * 4 * 6), [2, 3, 4, 6]);
    const [ours, ref] = [upsample2Host(x), upsample2ByOps(x)];
    expect(ours.shape).toEqual([2, 6, 8, 6]);
    expect(await values(ours)).toEqual(await values(ref));
    tf.dispose([x, ours, ref]);
  });

  it('avgPool2 and its gradient equal tf.avgPool (and odd sizes fall back to it)', async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    for (const [H, W] of [[4, 6], [5, 4]]) {
      const rng = new Rng(7 + H);
      const x = tf.tensor4d(rng.normals(2 * H * W * 3), [2, H, W, 3]);
      const w = tf.tensor4d(rng.normals(2 * (H >> 1) * (W >> 1) * 3), [2, H >> 1, W >> 1, 3]);
      const pool = (p: tf.Tensor4D) => tf.avgPool(p, 2, 2, 'valid');
      expect(await values(avgPool2(x))).toEqual(await values(pool(x)));
      const loss = (f: (p: tf.Tensor4D) => tf.Tensor) => (p: tf.Tensor) => tf.sum(tf.mul(f(p as tf.Tensor4D), w));
      const [g] = tf.grads(loss(avgPool2))([x]);
      const [gRef] = tf.grads(loss(pool))([x]);
      expect(await values(g)).toEqual(await values(gRef));
      tf.dispose([x, w, g, gRef]);
    }
  });
});
