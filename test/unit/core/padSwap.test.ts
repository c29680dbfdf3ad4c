// The filter gradient's input (pad, then batch and channels swapped) as one host kernel on cpu and wasm,
// against the plain pad + transpose: the same values exactly (it only moves them).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { padSwap, padSwapByOps } from '../../../src/core/models/padSwap';
import { Rng } from '../../../src/core/rng';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(['cpu', 'wasm'])('padSwap on %s', (backend) => {
  it.each([[1, 1], [2, 1], [0, 0]])('padding %i x %i equals pad + transpose', async (ph, pw) => {
    expect(await tf.setBackend(backend)).toBe(true);
    const x = tf.tensor4d(new Rng(4).normals(3 * 5 * 4 * 6), [3, 5, 4, 6]);
    const [ours, ref] = [padSwap(x, ph, pw), padSwapByOps(x, ph, pw)];
    expect(ours.shape).toEqual([6, 5 + 2 * ph, 4 + 2 * pw, 3]);
    expect(Array.from(await ours.data())).toEqual(Array.from(await ref.data()));
    tf.dispose([x, ours, ref]);
  });
});
