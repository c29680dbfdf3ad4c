// The two JVP routes of src/core/methods/jvp.ts on the project's 2D MLP: time per call on Node's cpu and
// wasm backends, and the finite difference's error against the exact double VJP, for the activations and
// time-feature frequencies a method might use. The numbers behind jvpChoice() (README "JVP").
//   npx tsx test/bench/jvpRoutes.ts [--quick]
import * as tf from '@tensorflow/tfjs';
import { DEFAULTS, type Config } from '../../src/core/config';
import { presetDataset } from '../../src/core/data/dataset2d';
import { doubleVjpJvp, finiteDifferenceJvp, relativeRms, type TensorFn } from '../../src/core/methods/jvp';
import { meanflowMethod } from '../../src/core/methods/meanflow';
import { MethodTrainer } from '../../src/core/methods/methodTrainer';
import { sctMethod } from '../../src/core/methods/scm';
import type { MethodContext, TrainingMethod } from '../../src/core/methods/types';
import { createNetwork } from '../../src/core/models/index';
import { MixtureDenoiser } from '../../src/core/teacher/mixtureDenoiser';
import { createMlp } from '../../src/core/models/mlp';
import type { Activation } from '../../src/core/models/types';
import { Rng } from '../../src/core/rng';
import { useBackend, type NodeBackend } from './lib/nodeBackend';

const quick = process.argv.includes('--quick');
const B = 256;
const reps = quick ? 3 : 10;

interface Case { activation: Activation; timeScale: number; label: string }
// timeScale multiplies t in [0, 1.57] before the features (frequencies 1..64 rad per unit input):
// 1 = the CD/CT features applied to raw t; 1/32 = at most 2 rad per unit t (few-step-methods.md §4.5).
const cases: Case[] = [
  { activation: 'silu', timeScale: 1 / 32, label: 'SiLU, <= 2 rad per unit t' },
  { activation: 'silu', timeScale: 1, label: 'SiLU, <= 64 rad per unit t' },
  { activation: 'relu', timeScale: 1 / 32, label: 'ReLU, <= 2 rad per unit t' },
];
const hs = [0.1, 0.03, 0.01, 0.003, 0.001];

function network(c: Case): { fn: TensorFn; params: tf.Tensor[]; dispose: () => void } {
  const net = createMlp({ kind: 'mlp', dataShape: [2], width: 256, depth: 4, activation: c.activation, timeFeatures: 16, timeConditioning: 'every-layer' });
  const rng = new Rng(7, 'jvp-bench');
  const init = net.init(rng);
  // The output layer starts at zero; give it trained-like weights so the product is not trivially zero.
  const out = init[init.length - 2];
  for (let i = 0; i < out.length; i++) out[i] = rng.normal() * 0.1;
  const params = init.map((v, i) => tf.tensor(v, net.params[i].shape));
  const fn: TensorFn = (x, t) => net.forward(params, x, tf.mul(t, c.timeScale) as tf.Tensor1D);
  return { fn, params, dispose: () => tf.dispose(params) };
}

function time(f: () => tf.Tensor): number {
  tf.dispose(f()); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const y = f();
    y.dataSync();
    y.dispose();
  }
  return (performance.now() - t0) / reps;
}

const rows: string[] = [];
for (const backend of ['cpu', 'wasm'] as NodeBackend[]) {
  await useBackend(backend);
  for (const c of cases) {
    const { fn, dispose } = network(c);
    const rng = new Rng(3, 'jvp-inputs');
    const x = tf.tensor2d(rng.normals(B * 2), [B, 2]);
    const t = tf.tensor1d(Float32Array.from({ length: B }, () => 0.05 + 1.45 * rng.uniform()));
    const vx = tf.tensor2d(rng.normals(B * 2), [B, 2]);
    const vt = tf.onesLike(t);
    const before = tf.memory().numTensors;
    const exact = tf.tidy(() => doubleVjpJvp(fn, [x, t], [vx, vt]));
    const exactValues = exact.dataSync();
    const errors = hs.map((h) => {
      const y = tf.tidy(() => finiteDifferenceJvp(fn, [x, t], [vx, vt], h));
      const e = relativeRms(y.dataSync(), exactValues);
      y.dispose();
      return e;
    });
    const msForward = time(() => tf.tidy(() => fn(x, t)));
    const msFd = time(() => tf.tidy(() => finiteDifferenceJvp(fn, [x, t], [vx, vt], 0.01)));
    const msExact = time(() => tf.tidy(() => doubleVjpJvp(fn, [x, t], [vx, vt])));
    exact.dispose();
    const leaked = tf.memory().numTensors - before;
    rows.push(`| ${backend} | ${c.label} | ${msForward.toFixed(1)} | ${msFd.toFixed(1)} | ${msExact.toFixed(1)} | `
      + `${errors.map((e) => e.toExponential(1)).join(' | ')} | ${leaked} |`);
    tf.dispose([x, t, vx, vt]);
    dispose();
  }
}
// Whole training steps (moons, the page's defaults: 4x256 SiLU, batch 256) with either route.
const stepRows: string[] = [];
for (const backend of (quick ? ['wasm'] : ['wasm', 'cpu']) as NodeBackend[]) {
  await useBackend(backend);
  for (const method of [sctMethod, meanflowMethod] as TrainingMethod[]) {
    for (const jvpRoute of ['fd', 'exact'] as const) {
      const c = { ...DEFAULTS, mode: method.id, jvpRoute, scmPretrain: 0, steps: 100 } as Config;
      const ds = presetDataset('moons', c.sigmaData);
      const data = { dataShape: [2], sample: (n: number, r: Rng) => ds.sample(n, r) };
      const exactD = new MixtureDenoiser(ds.mixture);
      const ctx: MethodContext = { config: c, net: createNetwork(c, [2], method.timeInputs), dataShape: [2], data, teacher: null, exact: exactD };
      const trainer = new MethodTrainer({ method, ctx });
      const ms: number[] = [];
      for (let k = 0; k < 2 + reps; k++) {
        const t0 = performance.now();
        const r = trainer.trainStep();
        r.loss.dataSync();
        r.loss.dispose();
        if (k >= 2) ms.push(performance.now() - t0);
      }
      trainer.dispose();
      ms.sort((a, b) => a - b);
      stepRows.push(`| ${backend} | ${method.id} | ${jvpRoute} | ${ms[ms.length >> 1].toFixed(1)} |`);
    }
  }
}
console.log(`MLP 4x256, 16 time features in every layer, batch ${B}, ${reps} calls each; FD error = relative RMS against the double VJP`);
console.log(`| backend | network | forward ms | central FD ms | double VJP ms | ${hs.map((h) => `FD h=${h}`).join(' | ')} | tensors leaked |`);
console.log(`|---|---|---|---|---|${hs.map(() => '---').join('|')}|---|`);
for (const r of rows) console.log(r);
console.log(`\nTraining step (moons, 4x256 SiLU, batch 256, consistency loss from step 0), median of ${reps} after 2 warm-up steps`);
console.log('| backend | method | JVP route | ms per step |');
console.log('|---|---|---|---|');
for (const r of stepRows) console.log(r);
process.exit(0);
