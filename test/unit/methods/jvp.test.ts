// The two JVP routes (src/core/methods/jvp.ts): the double VJP against closed forms, and the route the
// trainers use (finite difference on SiLU networks with low-frequency time inputs) against the double VJP.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossFieldErrors, DEFAULTS, type Config } from '../../../src/core/config';
import { doubleVjpJvp, finiteDifferenceJvp, jvp, jvpChoice, relativeRms, type TensorFn } from '../../../src/core/methods/jvp';
import { createMlp } from '../../../src/core/models/mlp';
import type { Activation } from '../../../src/core/models/types';
import { Rng } from '../../../src/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A 3x64 MLP with trained-like (non-zero) output weights; `timeInputs` 2 for MeanFlow-style networks. */
function mlp(activation: Activation, timeInputs: 1 | 2 = 1) {
  const net = createMlp({ kind: 'mlp', dataShape: [2], width: 64, depth: 3, activation, timeFeatures: 16, timeConditioning: 'every-layer', ...(timeInputs === 2 ? { timeInputs: 2 as const } : {}) });
  const rng = new Rng(5, 'jvp-test');
  const init = net.init(rng);
  const out = init[init.length - 2];
  for (let i = 0; i < out.length; i++) out[i] = 0.1 * rng.normal();
  return { net, params: init.map((v, i) => tf.tensor(v, net.params[i].shape)) };
}

function inputs(B: number, seed = 3) {
  const rng = new Rng(seed, 'jvp-inputs');
  return {
    x: tf.tensor2d(rng.normals(B * 2), [B, 2]),
    t: tf.tensor1d(Float32Array.from({ length: B }, () => 0.05 + 1.45 * rng.uniform())),
    r: tf.tensor1d(Float32Array.from({ length: B }, () => 0.05 * rng.uniform())),
    vx: tf.tensor2d(rng.normals(B * 2), [B, 2]),
  };
}

describe('double VJP', () => {
  it('equals the closed-form JVP of a nonlinear function of two inputs', () => {
    // G(x, t) = x^2 sin(t) + x t: JVP along (vx, vt) = (2 x sin t + t) vx + (x^2 cos t + x) vt
    const G: TensorFn = (x, t) => tf.add(tf.mul(tf.square(x), tf.sin(tf.reshape(t, [-1, 1]))), tf.mul(x, tf.reshape(t, [-1, 1])));
    const x = tf.tensor2d([[0.3, -1.2], [2.0, 0.5]]);
    const t = tf.tensor1d([0.4, 1.3]);
    const vx = tf.tensor2d([[1.0, 0.5], [-0.2, 2.0]]);
    const vt = tf.tensor1d([1.0, -0.5]);
    const got = tf.tidy(() => doubleVjpJvp(G, [x, t], [vx, vt])).arraySync() as number[][];
    const X = [[0.3, -1.2], [2.0, 0.5]];
    const T = [0.4, 1.3];
    const VX = [[1.0, 0.5], [-0.2, 2.0]];
    const VT = [1.0, -0.5];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const want = (2 * X[i][j] * Math.sin(T[i]) + T[i]) * VX[i][j] + (X[i][j] ** 2 * Math.cos(T[i]) + X[i][j]) * VT[i];
        expect(got[i][j]).toBeCloseTo(want, 5);
      }
    }
    // A null tangent holds that input still.
    const onlyT = tf.tidy(() => doubleVjpJvp(G, [x, t], [null, vt])).arraySync() as number[][];
    expect(onlyT[0][1]).toBeCloseTo((X[0][1] ** 2 * Math.cos(T[0]) + X[0][1]) * VT[0], 5);
    tf.dispose([x, t, vx, vt]);
  });

  it('goes through the project MLP (custom-gradient dense layers and time features) without leaking tensors', () => {
    const { net, params } = mlp('silu');
    const { x, t, vx } = inputs(32);
    const vt = tf.onesLike(t);
    const G: TensorFn = (a, b) => net.forward(params, a, tf.mul(b, 1 / 32) as tf.Tensor1D);
    tf.dispose(tf.tidy(() => doubleVjpJvp(G, [x, t], [vx, vt]))); // first call caches constant tables
    const before = tf.memory().numTensors;
    const y = tf.tidy(() => doubleVjpJvp(G, [x, t], [vx, vt]));
    expect(tf.memory().numTensors).toBe(before + 1);
    // Linear in the tangent: J(2v) = 2 Jv.
    const y2 = tf.tidy(() => doubleVjpJvp(G, [x, t], [tf.mul(vx, 2), tf.mul(vt, 2)]));
    expect(relativeRms(y2.dataSync(), Array.from(y.dataSync(), (v) => 2 * v))).toBeLessThan(1e-6);
    tf.dispose([y, y2, x, t, vx, vt, ...params]);
  });

  it('rejects mismatched inputs with a clear message', () => {
    const x = tf.tensor1d([1]);
    expect(() => doubleVjpJvp((a) => a, [x], [])).toThrow(/1 inputs but 0 tangents/);
    expect(() => doubleVjpJvp((a) => a, [x], [null])).toThrow(/every tangent is null/);
    expect(() => finiteDifferenceJvp((a) => a, [x], [x], 0)).toThrow(/step must be > 0/);
    x.dispose();
  });
});

describe('the route the trainers use, against the other', () => {
  it('chooses the finite difference for smooth activations and the double VJP for ReLU', () => {
    expect(jvpChoice('silu')).toEqual({ route: 'fd', h: 0.01 });
    expect(jvpChoice('gelu').route).toBe('fd');
    expect(jvpChoice('relu').route).toBe('double-vjp');
    // The run's jvpRoute setting overrides the rule.
    expect(jvpChoice('silu', 'exact').route).toBe('double-vjp');
    expect(jvpChoice('relu', 'fd').route).toBe('fd');
    // The U-Net always takes the difference: tfjs has no gradient of AvgPoolGrad, so no double VJP through it.
    expect(jvpChoice('relu', 'auto', 'unet').route).toBe('fd');
    expect(() => jvpChoice('silu', 'exact', 'unet-tiny')).toThrow(/needs the MLP/);
    const unetMeanflow = { ...DEFAULTS, dataset: 'mnist', model: 'unet-tiny', teacher: 'learned', batchSize: 16, lr: 2e-4, mode: 'meanflow' } as Config;
    expect(crossFieldErrors({ ...unetMeanflow, jvpRoute: 'exact' }).join()).toMatch(/JVP route: the exact route/);
    expect(crossFieldErrors({ ...unetMeanflow, jvpRoute: 'auto' }).join()).not.toMatch(/JVP route/);
  });

  it('sCM-style product (one time input): central difference at h = 0.01 within 1e-3 of the double VJP (SiLU)', () => {
    const { net, params } = mlp('silu');
    const { x, t, vx } = inputs(64);
    const vt = tf.fill([64], 0.25) as tf.Tensor1D;
    const G: TensorFn = (a, b) => net.forward(params, a, tf.mul(b, 1 / 32) as tf.Tensor1D);
    const exact = tf.tidy(() => doubleVjpJvp(G, [x, t], [vx, vt]));
    const chosen = tf.tidy(() => jvp(G, [x, t], [vx, vt], jvpChoice('silu')));
    const err = relativeRms(chosen.dataSync(), exact.dataSync());
    expect(err).toBeLessThan(1e-3);
    expect(err).toBeGreaterThan(0); // really a different route
    tf.dispose([exact, chosen, x, t, vx, vt, ...params]);
  });

  it('MeanFlow-style product (two time inputs, tangent (v, 1, 0)): within 1e-3 of the double VJP (SiLU)', () => {
    const { net, params } = mlp('silu', 2);
    const { x, t, r, vx } = inputs(64, 9);
    const G: TensorFn = (z, tt, rr) => net.forward(params, z, tf.mul(tf.stack([tt, tf.sub(tt, rr)], 1), 1 / 32) as tf.Tensor2D);
    const ones = tf.onesLike(t);
    const exact = tf.tidy(() => doubleVjpJvp(G, [x, t, r], [vx, ones, null]));
    const fd = tf.tidy(() => jvp(G, [x, t, r], [vx, ones, null], jvpChoice('silu')));
    expect(relativeRms(fd.dataSync(), exact.dataSync())).toBeLessThan(1e-3);
    tf.dispose([exact, fd, x, t, r, vx, ones, ...params]);
  });

  it('why ReLU keeps the exact route: a finite difference is off by more than 1 % there', () => {
    const { net, params } = mlp('relu');
    const { x, t, vx } = inputs(64);
    const vt = tf.onesLike(t);
    const G: TensorFn = (a, b) => net.forward(params, a, tf.mul(b, 1 / 32) as tf.Tensor1D);
    const exact = tf.tidy(() => doubleVjpJvp(G, [x, t], [vx, vt]));
    const fd = tf.tidy(() => finiteDifferenceJvp(G, [x, t], [vx, vt], 0.01));
    expect(relativeRms(fd.dataSync(), exact.dataSync())).toBeGreaterThan(1e-2);
    tf.dispose([exact, fd, x, t, vx, vt, ...params]);
  });
});
