// wasm's Identity shares its input's data (wasmIdentity.ts) instead of copying it: clones stay valid after
// the original is disposed, memory is freed once both are gone, and taped gradients (which clone what they
// save) equal the cpu backend's.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { shareIdentityOnWasm } from '../../../src/core/models/wasmIdentity';
import { Rng } from '../../../src/core/rng';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('sharing Identity on wasm', () => {
  it('clones share data, survive the original and free it at the end', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    shareIdentityOnWasm();
    shareIdentityOnWasm(); // idempotent
    const start = tf.memory();
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const c = tf.clone(x);
    expect(tf.memory().numDataBuffers - start.numDataBuffers).toBe(1); // one buffer for both
    x.dispose();
    expect(Array.from(await c.data())).toEqual([1, 2, 3, 4, 5, 6]);
    c.dispose();
    expect(tf.memory().numTensors).toBe(start.numTensors);
    expect(tf.memory().numDataBuffers).toBe(start.numDataBuffers);
    expect(tf.memory().numBytes).toBe(start.numBytes);
  });

  it('taped gradients equal the cpu backend', async () => {
    const rng = new Rng(2);
    const [xv, wv] = [rng.normals(4 * 5), rng.normals(5 * 3)];
    const grads = async (backend: string) => {
      expect(await tf.setBackend(backend)).toBe(true);
      const [x, w] = [tf.tensor2d(xv, [4, 5]), tf.tensor2d(wv, [5, 3])];
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.sigmoid(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D))));
      const g = tf.grads(f)([x, w]);
      const out = await Promise.all(g.map((t) => t.data()));
      tf.dispose([x, w, ...g]);
      return out.map((a) => Array.from(a));
    };
    const [cpu, wasm] = [await grads('cpu'), await grads('wasm')];
    expect(tf.getKernel('Identity', 'wasm')?.kernelFunc.name).toBe('shareIdentity');
    cpu.forEach((a, i) => a.forEach((v, j) => expect(wasm[i][j]).toBeCloseTo(v, 5)));
  });
});
