// The fused pseudo-Huber head (cm/huberHead.ts, host kernel on cpu and wasm) against tfjs autodiff of the
// plain formula the tape path trains with: mean_i lambda_i d(f_i, target_i), d = distance.ts's
// pseudoHuberDistance, f = c_skip x + c_out F, the target's f made from its raw output.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultHuberC, pseudoHuberC, pseudoHuberDistance, l2Distance } from '../../../src/core/cm/distance';
import { huberHead, huberHeadByOps, huberHeadOfTarget } from '../../../src/core/cm/huberHead';
import { hostInputs } from '../../../src/core/cm/netInputs';
import { Rng } from '../../../src/core/rng';

afterAll(async () => {
  await tf.setBackend('cpu');
});

const scalings = { eps: 0.002, sigmaData: 0.5, cNoiseConvention: 'jax' as const };

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return a.length === b.length ? diff / scale : Infinity;
};

describe.each(['cpu', 'wasm'])('fused pseudo-Huber head on %s', (backend) => {
  it.each([
    ['c auto, lambda weighting', defaultHuberC(2), true, 1],
    ['c auto, no weighting', defaultHuberC(2), false, 1],
    // A c of the residuals' size (the quadratic and linear regimes both occur): residuals scaled down.
    ['c = 0.05, lambda weighting', 0.05, true, 0.03],
    ['c = 0.05, no weighting', 0.05, false, 0.03],
  ] as const)('%s: loss and dLoss/dF equal autodiff to 1e-6 relative', async (_label, c, weighted, spread) => {
    expect(await tf.setBackend(backend)).toBe(true);
    const rng = new Rng(11, 'huber');
    const B = 9;
    const t = Float64Array.from({ length: B }, (_, i) => 0.01 * 2 ** i);
    const lambda = Float64Array.from({ length: B }, (_, i) => (weighted ? 0.3 + i : 1));
    const inp = hostInputs(rng.normals(B * 2), t, [B, 2], scalings);
    const tInp = hostInputs(rng.normals(B * 2), t.map((v) => 0.8 * v), [B, 2], scalings);
    const tF = tf.tensor2d(rng.normals(B * 2), [B, 2]);
    const tSkip = tInp.skipX as tf.Tensor2D;
    const tOut = tf.reshape(tInp.out, [B, 1]);
    const fTarget = tf.add(tSkip, tf.mul(tOut, tF));
    // F close to the value that hits the target, so residuals are ~spread.
    const near = tf.div(tf.sub(fTarget, inp.skipX), inp.out);
    const F = tf.add(near, tf.mul(tf.tensor2d(rng.normals(B * 2), [B, 2]), tf.div(spread, inp.out))) as tf.Tensor2D;
    const lam = tf.tensor1d(Float32Array.from(lambda));
    const plain = (f: tf.Tensor) => tf.mean(tf.mul(lam, pseudoHuberDistance(c)(tf.add(inp.skipX, tf.mul(inp.out, f)), fTarget))) as tf.Scalar;
    const { value, grad } = tf.valueAndGrad(plain)(F);
    // The coefficients as fusedStep.ts makes them: lambda_i / B and lambda_i c_out,i / B.
    const coef = tf.tensor2d(Float32Array.from(lambda, (l) => l / B), [B, 1]);
    const dCoef = tf.tensor2d(Float32Array.from(lambda, (l, i) => (l * inp.outValues[i]) / B), [B, 1]);
    const cOut = tf.reshape(inp.out, [B, 1]);
    const ref = [(await value.data())[0], await grad.data()] as const;
    const heads = {
      ofTarget: huberHeadOfTarget(F, inp.skipX, cOut, { F: tF, skipX: tSkip, cOut: tOut }, coef, dCoef, c),
      plainTarget: huberHead(F, inp.skipX, cOut, fTarget, coef, dCoef, c),
      byOps: huberHeadByOps(F, inp.skipX, cOut, fTarget, coef, dCoef, c),
    };
    for (const [name, h] of Object.entries(heads)) {
      expect(Math.abs((await h.loss.data())[0] - ref[0]) / ref[0], name).toBeLessThan(1e-6);
      expect(relErr(await h.dF.data(), ref[1]), name).toBeLessThan(1e-6);
    }
    // The case exercises what it says: gradients not all tiny, and (c = 0.05) residuals on both sides of c.
    expect(Math.max(...Array.from(ref[1], Math.abs))).toBeGreaterThan(1e-3);
    if (c === 0.05) {
      const norms = await tf.sqrt(tf.sum(tf.square(tf.sub(tf.add(inp.skipX, tf.mul(inp.out, F)), fTarget)), 1)).data();
      expect(Math.min(...norms)).toBeLessThan(c);
      expect(Math.max(...norms)).toBeGreaterThan(c);
    }
  });
});

describe('pseudoHuberC', () => {
  it('gives the c of a pseudo-Huber distance and null for any other', () => {
    const d = pseudoHuberDistance(0.25);
    expect(pseudoHuberC(d)).toBe(0.25);
    expect(pseudoHuberC(l2Distance)).toBeNull();
    expect(pseudoHuberC((x, y) => d(x, y))).toBeNull();
  });
});
