import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { ParamLayout } from '../../../src/core/models/flatLayout';

afterAll(async () => {
  await tf.setBackend('cpu');
});

const layout = new ParamLayout([
  { name: 'w0', shape: [3, 4] }, { name: 'b0', shape: [4] }, { name: 'w1', shape: [4, 2] }, { name: 'b1', shape: [2] }, { name: 'k', shape: [2, 1, 1, 3] },
]);
const values = layout.sizes.map((n, i) => Float32Array.from({ length: n }, (_, j) => i * 100 + j + 0.5));

// cpu and wasm run the two layout kernels; webgl/webgpu would take split + reshape (same contract).
describe.each(['cpu', 'wasm'])('parameter layout on %s', (backend) => {
  it('unflatten cuts the flat buffer into shaped parameters; concat joins them back', async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    const flat = tf.tensor1d(layout.flatten(values));
    const pieces = layout.unflatten(flat);
    expect(pieces.map((p) => p.shape)).toEqual(layout.shapes);
    for (let i = 0; i < pieces.length; i++) expect(Array.from(await pieces[i].data())).toEqual(Array.from(values[i]));
    const back = layout.concat(pieces);
    expect(Array.from(await back.data())).toEqual(Array.from(layout.flatten(values)));
    // the pieces are copies: changing the buffer later does not change them
    tf.dispose([flat, back]);
    expect(Array.from(await pieces[2].data())).toEqual(Array.from(values[2]));
    tf.dispose(pieces);
  });

  it('the portable split + reshape path gives the same pieces and flat tensor', async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    const flat = tf.tensor1d(layout.flatten(values));
    const pieces = layout.unflattenByOps(flat);
    expect(pieces.map((p) => p.shape)).toEqual(layout.shapes);
    for (let i = 0; i < pieces.length; i++) expect(Array.from(await pieces[i].data())).toEqual(Array.from(values[i]));
    expect(Array.from(await layout.concatByOps(pieces).data())).toEqual(Array.from(layout.flatten(values)));
  });
});
