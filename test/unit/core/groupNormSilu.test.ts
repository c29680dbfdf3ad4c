// The fused GroupNorm + modulation + SiLU op (cpu and wasm host kernels, hand-written gradient) against
// automatic differentiation of the plain-op formula that other backends run: value and all three gradients.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { groupNormSilu, groupNormSiluByOps } from '../../../src/core/models/groupNormSilu';
import { gnPasses, jsPasses } from '../../../src/core/models/groupNormLoops';
import { Rng } from '../../../src/core/rng';

afterAll(async () => {
  await tf.setBackend('cpu');
});

const rng = new Rng(5);
const rand = (shape: number[], scale = 1, shift = 0) =>
  tf.tensor(rng.normals(shape.reduce((a, b) => a * b, 1)).map((v) => shift + v * scale), shape);

/** Largest difference relative to the largest magnitude of the reference. */
async function relErr(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = [await a.data(), await b.data()];
  const scale = Math.max(1e-30, ...Array.from(y, Math.abs));
  let worst = 0;
  x.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - y[i]) / scale)));
  return worst;
}

describe.each(['cpu', 'wasm'])('groupNormSilu on %s', (backend) => {
  it.each([
    ['shared affine [C]', [3, 6, 5, 8], 4, false],
    ['per-sample modulation [B, C]', [2, 4, 4, 12], 3, true],
    ['one group, one channel per group', [2, 3, 3, 4], 4, true],
    ['width not a multiple of 4 (JavaScript passes on wasm too)', [2, 5, 3, 6], 3, false],
  ] as const)('%s: value and gradients equal autodiff of the plain ops', async (_l, shape, groups, perSample) => {
    expect(await tf.setBackend(backend)).toBe(true);
    const C = shape[3];
    // An offset and scale per tensor so the statistics are not trivially 0 and 1.
    const x = rand([...shape], 2, 0.7) as tf.Tensor4D;
    const a = rand(perSample ? [shape[0], C] : [C], 0.5, 1);
    const b = rand(perSample ? [shape[0], C] : [C], 0.5);
    const w = rand([...shape]); // a weighting so each output element has its own upstream gradient
    const loss = (f: typeof groupNormSilu) => (xx: tf.Tensor, aa: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(f(xx as tf.Tensor4D, aa, bb, groups, 1e-5), w));
    const before = tf.memory().numTensors;
    const ours = tf.grads(loss(groupNormSilu))([x, a, b]);
    const theirs = tf.grads(loss(groupNormSiluByOps))([x, a, b]);
    const y = groupNormSilu(x, a, b, groups, 1e-5);
    const yRef = groupNormSiluByOps(x, a, b, groups, 1e-5);
    expect(await relErr(y, yRef)).toBeLessThan(1e-5);
    for (let i = 0; i < 3; i++) expect(await relErr(ours[i], theirs[i]), ['dx', 'da', 'db'][i]).toBeLessThan(1e-5);
    tf.dispose([...ours, ...theirs, y, yRef]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, a, b, w]);
  });

  it('launches the fused kernels, not the plain chain', async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    const x = rand([2, 4, 4, 8]) as tf.Tensor4D;
    const [a, b] = [rand([8]), rand([8])];
    const prof = await tf.profile(() => tf.grads((xx: tf.Tensor) => tf.sum(groupNormSilu(xx as tf.Tensor4D, a, b, 2, 1e-5)))([x]));
    const names = prof.kernels.map((k) => k.name);
    expect(names).toContain('GroupNormAffine');
    expect(names).toContain('GroupNormSiluGrad');
    expect(names).not.toContain('Mean');
    tf.dispose([x, a, b]);
  });
});

describe('SIMD row passes', () => {
  it('equal the JavaScript passes on a memory of their own', () => {
    const [P, C] = [7, 12];
    const memory = new WebAssembly.Memory({ initial: 1 });
    const simd = gnPasses(memory, C);
    expect(simd).not.toBe(jsPasses);
    let next = 0;
    const alloc = (n: number) => ((next += n), new Float32Array(memory.buffer, 4 * (next - n), n));
    const fill = (n: number, shift = 0) => {
      const t = alloc(n);
      t.set(rng.normals(n).map((v) => v + shift));
      return t;
    };
    const [x, dy, z] = [fill(P * C, 0.5), fill(P * C), fill(P * C)];
    const s = alloc(P * C);
    s.set(z.map((v) => 1 / (1 + Math.exp(-v))));
    const [A, Bc, m] = [fill(C), fill(C), fill(C)];
    const run = (ps: typeof jsPasses) => {
      const [out, dz, dx, acc, acc2, sdz, sdzx] = [alloc(P * C), alloc(P * C), alloc(P * C), alloc(C), alloc(C), alloc(C), alloc(C)];
      ps.colSums(x, 0, P, acc);
      ps.colSqDev(x, 0, P, m, acc2);
      ps.rowAffine(x, out, 0, P, A, Bc);
      ps.dz(dy, x, z, s, dz, 0, P, m, sdz, sdzx);
      ps.rowAffine2(dz, x, dx, 0, P, A, Bc, m);
      return [out, dz, dx, acc, acc2, sdz, sdzx].map((t) => Array.from(t));
    };
    const [ours, theirs] = [run(simd), run(jsPasses)];
    ours.forEach((o, k) => o.forEach((v, i) => expect(Math.abs(v - theirs[k][i]), `output ${k}[${i}]`).toBeLessThan(1e-5 * (1 + Math.abs(theirs[k][i])))));
  });
});
