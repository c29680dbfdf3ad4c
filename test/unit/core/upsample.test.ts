// The U-Net's 2x nearest upsampling with its custom gradient (4 avgPool(dy), cpu and wasm) against
// automatic differentiation of the plain concat + reshape version.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { upsample2, upsample2ByOps } from '../../../src/core/models/unet';
import { Rng } from '../../../src/core/rng';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(['cpu', 'wasm'])('upsample2 on %s', (backend) => {
  it('value and gradient equal the plain ops', async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    const rng = new Rng(9);
    const x = tf.tensor4d(rng.normals(2 * 3 * 4 * 5), [2, 3, 4, 5]);
    const w = tf.tensor4d(rng.normals(2 * 6 * 8 * 5), [2, 6, 8, 5]); // a distinct upstream gradient per output
    const loss = (f: typeof upsample2) => (xx: tf.Tensor) => tf.sum(tf.mul(f(xx as tf.Tensor4D), w));
    expect(Array.from(await upsample2(x).data())).toEqual(Array.from(await upsample2ByOps(x).data()));
    const [ours] = tf.grads(loss(upsample2))([x]);
    const [ref] = tf.grads(loss(upsample2ByOps))([x]);
    const r = await ref.data();
    (await ours.data()).forEach((v, i) => expect(v).toBeCloseTo(r[i], 5));
    tf.dispose([x, w, ours, ref]);
  });
});
