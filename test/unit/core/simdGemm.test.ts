// The runtime-assembled matrix product (simdGemm.ts) against a float64 reference on memories of its own,
// with and without relaxed SIMD's FMA, and its dispatch from the fused MLP step (hostMatMul.ts) on wasm.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doubleVjpJvp } from '../../../src/core/methods/jvp';
import { dense } from '../../../src/core/models/dense';
import { mlpMatMul, ownGemmApplies, setOwnGemm } from '../../../src/core/models/hostMatMul';
import { GEMM_COLS, gemmFn, gemmFor, relaxedSimdAvailable } from '../../../src/core/models/simdGemm';
import { Rng } from '../../../src/core/rng';

const rng = new Rng(5);

function reference(a: Float32Array, b: Float32Array, M: number, K: number, N: number): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) c[i * N + j] += a[i * K + k] * b[k * N + j];
  return c;
}

/** Largest |ours - exact| over the largest |exact|. */
function relError(ours: ArrayLike<number>, exact: ArrayLike<number>): number {
  let [worst, scale] = [0, 1e-30];
  for (let i = 0; i < exact.length; i++) {
    worst = Math.max(worst, Math.abs(ours[i] - exact[i]));
    scale = Math.max(scale, Math.abs(exact[i]));
  }
  return worst / scale;
}

describe('own matrix product on a memory of its own', () => {
  it('relaxed SIMD is found in Node (the V8 flag is switched on where needed)', () => {
    // Node 22 has it on; Node 20.16+ can switch the flag (process.getBuiltinModule); older Node runs mul + add.
    const canHave = Number(process.versions.node.split('.')[0]) >= 22 || typeof (process as { getBuiltinModule?: unknown }).getBuiltinModule === 'function';
    expect(relaxedSimdAvailable()).toBe(canHave);
  });

  // Row tails (M % 4), K from 1 up, N one or many column blocks; A, B and C at unaligned addresses.
  const shapes = [[1, 1, 8], [3, 5, 8], [4, 64, 16], [5, 7, 24], [13, 100, 32], [257, 273, 256], [512, 19, 256]];
  describe.each([true, false])('fma %s', (fma) => {
    it.each(shapes)('%i x %i x %i', (M, K, N) => {
      const memory = new WebAssembly.Memory({ initial: 64 });
      const heap = new Float32Array(memory.buffer);
      const [a, b] = [Float32Array.from(rng.normals(M * K)), Float32Array.from(rng.normals(K * N))];
      const [pa, pb, pc] = [3, 3 + M * K + 5, 3 + M * K + 5 + K * N + 1]; // element offsets, deliberately odd
      const panel = 4 * (pc + M * N + 8 + 3) & ~15;
      heap.set(a, pa);
      heap.set(b, pb);
      heap.fill(Number.NaN, pc, pc + M * N + 8); // every output written, nothing past it
      gemmFor(memory, K, N, fma)!(4 * pa, 4 * pb, 4 * pc, M, panel);
      const c = heap.subarray(pc, pc + M * N);
      expect(relError(c, reference(a, b, M, K, N))).toBeLessThan(2e-6 * Math.sqrt(K));
      expect(Number.isNaN(heap[pc + M * N])).toBe(true);
    });
  });

  it('builds on a shared memory (the threaded wasm build) and refuses N that is not a multiple of 8', () => {
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    expect(gemmFor(shared, 4, 8)).not.toBeNull();
    expect(gemmFor(shared, 4, 12)).toBeNull();
    expect(() => gemmFn(4, GEMM_COLS + 2, true)).toThrow(/multiple of 8/);
  });
});

describe('the fused step\'s products on wasm', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    setOwnGemm(true);
    await tf.setBackend('cpu');
  });

  it('run the own product where it applies, and equal tf.matMul', async () => {
    const a = tf.tensor2d(rng.normals(96 * 81), [96, 81]);
    const b = tf.tensor2d(rng.normals(81 * 64), [81, 64]);
    expect(ownGemmApplies(81, 64)).toBe(true);
    const profile = await tf.profile(() => mlpMatMul(a, b));
    expect(profile.kernels.map((k) => k.name)).toEqual(['MlpGemm']);
    expect(profile.newTensors).toBe(1); // the scratch panel is not left behind
    const ours = await mlpMatMul(a, b).data();
    const exact = reference(await a.data() as Float32Array, await b.data() as Float32Array, 96, 81, 64);
    expect(relError(ours, exact)).toBeLessThan(2e-6 * 9);
  });

  it('leave small K, N off the 8-column grid, and a switched-off product to tf.matMul', () => {
    expect(ownGemmApplies(19, 256)).toBe(false); // the first layer: XNNPACK's packed product is faster
    expect(ownGemmApplies(257, 2)).toBe(false); // the output layer
    setOwnGemm(false);
    expect(ownGemmApplies(256, 256)).toBe(false);
    setOwnGemm(true);
    expect(ownGemmApplies(256, 256)).toBe(true);
  });

  // dense.ts's layers run the own product in their forward and gradient; sCM and MeanFlow take JVPs by
  // differentiating that gradient again, which goes through the kernel's registered gradient.
  it('carry dense layers: value, gradient and a JVP by double VJP equal the XNNPACK path', async () => {
    const x = tf.tensor2d(rng.normals(80 * 64), [80, 64]);
    const [w1, w2] = [tf.tensor2d(rng.normals(64 * 72).map((v) => v / 8), [64, 72]), tf.tensor2d(rng.normals(72 * 64).map((v) => v / 8), [72, 64])];
    const [b1, b2] = [tf.tensor1d(rng.normals(72)), tf.tensor1d(rng.normals(64))];
    const net = (v: tf.Tensor) => dense(dense(v as tf.Tensor2D, w1, b1, 'silu'), w2, b2, 'linear');
    const tangent = tf.tensor2d(rng.normals(80 * 64), [80, 64]);
    const run = async (own: boolean) => {
      setOwnGemm(own);
      const profile = await tf.profile(() => doubleVjpJvp(net, [x], [tangent]));
      const jvp = await (doubleVjpJvp(net, [x], [tangent]) as tf.Tensor).data();
      const grad = await tf.grad((v: tf.Tensor) => tf.sum(tf.square(net(v))))(x).data();
      return { jvp, grad, value: await net(x).data(), gemms: profile.kernels.filter((k) => k.name === 'MlpGemm').length };
    };
    const [own, xnn] = [await run(true), await run(false)];
    // 2 in the forward and 4 in dense.ts's gradient; any more come from MlpGemm's own registered gradient.
    expect(own.gemms).toBeGreaterThan(6);
    expect(xnn.gemms).toBe(0);
    expect(relError(own.value, xnn.value)).toBeLessThan(1e-6);
    expect(relError(own.grad, xnn.grad)).toBeLessThan(1e-5);
    expect(relError(own.jvp, xnn.jvp)).toBeLessThan(1e-5);
  });

  it('have the matrix product\'s gradient under a tape', async () => {
    const a = tf.tensor2d(rng.normals(8 * 64), [8, 64]);
    const b = tf.tensor2d(rng.normals(64 * 16), [64, 16]);
    const w = tf.tensor2d(rng.normals(8 * 16), [8, 16]);
    const loss = (f: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D, y as tf.Tensor2D), w));
    const [da, db] = tf.grads(loss(mlpMatMul))([a, b]);
    const [ra, rb] = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
    expect(relError(await da.data(), await ra.data())).toBeLessThan(1e-5);
    expect(relError(await db.data(), await rb.data())).toBeLessThan(1e-5);
  });
});
