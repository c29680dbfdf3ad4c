// Every fused host kernel (cpu and wasm) against its plain-tfjs twin, which GPU backends run.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { consistencyOut, consistencyOutByOps, l2Head, l2HeadByOps } from '../../../src/core/cm/headKernels';
import { adamUpdate, adamUpdateByOps, emaUpdates, emaUpdatesByOps, type AdamCoefs } from '../../../src/core/cm/flatUpdateKernels';
import { activation, activationByOps, paramBlocks, paramBlocksByOps, type Block } from '../../../src/core/models/mlpKernels';
import { Rng } from '../../../src/core/rng';

afterAll(async () => {
  await tf.setBackend('cpu');
});

const rng = new Rng(7);
const rand = (shape: number[], scale = 1) => tf.tensor(rng.normals(shape.reduce((a, b) => a * b, 1)).map((v) => v * scale), shape);

/** Same shape and values within float32 rounding of a short op chain. */
async function expectClose(a: tf.Tensor, b: tf.Tensor, tol = 2e-6): Promise<void> {
  expect(a.shape).toEqual(b.shape);
  const x = await a.data();
  const y = await b.data();
  const scale = Math.max(1e-30, ...Array.from(y, Math.abs));
  let worst = 0;
  x.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - y[i]) / scale)));
  expect(worst).toBeLessThan(tol);
}

async function expectAllClose(a: tf.Tensor[], b: tf.Tensor[]): Promise<void> {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) await expectClose(a[i], b[i]);
}

describe.each(['cpu', 'wasm'])('fused kernels on %s equal their plain-op versions', (backend) => {
  it('MlpParamBlocks: blocks and transposed blocks of a flat buffer', async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    const flat = rand([100]) as tf.Tensor1D;
    const blocks: Block[] = [[0, 4, 5], [20, 7, 3], [41, 1, 2]];
    const transposed: Block[] = [[20, 6, 3], [1, 2, 5]];
    const ours = paramBlocks(flat, blocks, transposed);
    expect(ours.map((t) => t.shape)).toEqual([[4, 5], [7, 3], [1, 2], [3, 6], [5, 2]]);
    expect(Array.from(await ours[4].data()).slice(0, 2)).toEqual(Array.from(await flat.data()).filter((_, i) => i === 1 || i === 6));
    for (let i = 0; i < ours.length; i++) expect(Array.from(await ours[i].data())).toEqual(Array.from(await paramBlocksByOps(flat, blocks, transposed)[i].data()));
  });

  // Widths that are multiples of 4 take wasm's SIMD loops, others the JavaScript ones.
  it.each([
    ['silu', true, 3, 8], ['silu', false, 3, 8], ['silu', true, 0, 8], ['silu', false, 0, 12], ['silu', true, 3, 5],
    ['silu', false, 0, 5], ['relu', true, 2, 8], ['relu', false, 0, 5],
  ] as const)('MlpActivation %s (train %s, %i extra columns, width %i)', async (act, train, E, W) => {
    expect(await tf.setBackend(backend)).toBe(true);
    const z = rand([9, W], 3) as tf.Tensor2D;
    const s = act === 'silu' ? (tf.sigmoid(z) as tf.Tensor2D) : null;
    const ext = E ? (rand([9, E]) as tf.Tensor2D) : null;
    const a = activation(z, s, ext, { act, train });
    const b = activationByOps(z, s, ext, { act, train });
    await expectClose(a.y, b.y);
    if (train) {
      await expectClose(a.yT!, b.yT!);
      await expectClose(a.deriv!, b.deriv!);
    } else {
      expect(a.yT).toBeUndefined();
    }
  });

  it('ConsistencyOut and the l2 head (loss and dLoss/dF)', async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    const [F, skipX, target] = [rand([6, 2]), rand([6, 2]), rand([6, 2])];
    const [cOut, coef, dCoef] = [rand([6, 1]), rand([6, 1]).abs(), rand([6, 1])];
    await expectClose(consistencyOut(F, skipX, cOut), consistencyOutByOps(F, skipX, cOut));
    const a = l2Head(F, skipX, cOut, target, coef, dCoef);
    const b = l2HeadByOps(F, skipX, cOut, target, coef, dCoef);
    expect(a.loss.shape).toEqual([]);
    await expectClose(a.loss, b.loss);
    await expectClose(a.dF, b.dF);
  });

  it.each([true, false])('FlatAdamUpdate (adaptive %s)', async (adaptive) => {
    expect(await tf.setBackend(backend)).toBe(true);
    const [p, g, m] = [rand([51]), rand([51]), rand([51], 0.1)] as tf.Tensor1D[];
    const v = rand([51], 0.1).square() as tf.Tensor1D;
    const c: AdamCoefs = { beta1: 0.9, beta2: 0.999, scale: adaptive ? 3e-3 * Math.sqrt(1 - 0.999 ** 3) / (1 - 0.9 ** 3) : 0.01, eps: 1e-8, adaptive };
    await expectAllClose(adamUpdate(p, g, m, v, c), adamUpdateByOps(p, g, m, v, c));
  });

  it.each([[[0.95, 0.1]], [[0.995]], [[0, 0.9]]])('FlatEmaUpdate (mu %j)', async (mus) => {
    expect(await tf.setBackend(backend)).toBe(true);
    const src = rand([43]) as tf.Tensor1D;
    const targets = mus.map(() => rand([43]) as tf.Tensor1D);
    await expectAllClose(emaUpdates(src, targets, mus), emaUpdatesByOps(src, targets, mus));
  });
});
