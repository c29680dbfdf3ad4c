// Runs the same training steps on the webgpu backend twice from the same seed (same weights and draws):
// with the fused WGSL kernels and with the plain-op twins, and reports the largest relative difference
// of the losses and of every state buffer, and the dispatches of the last step of each path.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { setWebgpuFusedKernels } from '../../../src/core/models/hostKernel';
import { webgpuDispatches, webgpuDispatchesByProgram } from '../../../src/core/models/webgpuDispatches';
import { TrainingSession } from '../../../src/core/run/session';
import { activation, paramBlocks } from '../../../src/core/models/mlpKernels';
import { consistencyOut, l2Head, l2HeadOfTarget } from '../../../src/core/cm/headKernels';
import { huberHead, huberHeadOfTarget } from '../../../src/core/cm/huberHead';
import { adamUpdate, adamUpdatePacked, emaUpdates } from '../../../src/core/cm/flatUpdateKernels';
import { weightGradIntoFlat } from '../../../src/core/models/weightGradWebgpu';
import { MixtureDenoiser } from '../../../src/core/teacher/mixtureDenoiser';
import { FlatAdam } from '../../../src/core/cm/optimizer';
import { odeStep } from '../../../src/core/teacher/ode';
import { ConsistencyTrainer, type TrainerCheckpoint } from '../../../src/core/cm/consistencyTrainer';

interface PathResult {
  losses: number[];
  state: Record<string, Float32Array>;
  lastStepDispatches: number;
}

async function runPath(c: Config, steps: number, fused: boolean): Promise<PathResult> {
  setWebgpuFusedKernels(fused);
  const s = new TrainingSession(c, {}, 16);
  const losses: number[] = [];
  let lastStepDispatches = 0;
  for (let k = 0; k < steps; k++) {
    const before = webgpuDispatches()!;
    const r = await s.trainStep();
    lastStepDispatches = webgpuDispatches()! - before;
    losses.push((await r.loss.data())[0]);
    r.loss.dispose();
  }
  if (!(s.trainer instanceof ConsistencyTrainer)) throw new Error('expected the consistency trainer');
  const ck: TrainerCheckpoint = await s.trainer.checkpoint();
  s.dispose();
  const state: Record<string, Float32Array> = { m: ck.optimizer.m, v: ck.optimizer.v };
  ck.online.forEach((t, i) => (state[`online${i}`] = t));
  ck.evalEma.forEach((t, i) => (state[`ema${i}`] = t));
  ck.target?.forEach((t, i) => (state[`target${i}`] = t));
  return { losses, state, lastStepDispatches };
}

/** max |a - b| / max |a| (per buffer: entries near zero are judged on the buffer's scale). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

async function compare(overrides: Partial<Config>, steps: number) {
  if (!(await tf.setBackend('webgpu')) || tf.getBackend() !== 'webgpu') throw new Error('webgpu backend not available');
  const c = { ...DEFAULTS, ...overrides };
  const fused = await runPath(c, steps, true);
  const plain = await runPath(c, steps, false);
  setWebgpuFusedKernels(true);
  const lossErr = Math.max(...fused.losses.map((l, i) => Math.abs(l - plain.losses[i]) / Math.max(Math.abs(plain.losses[i]), 1e-30)));
  const names = Object.keys(plain.state);
  const weightErrs = Object.fromEntries(names.map((n) => [n, fused.state[n] ? relErr(plain.state[n], fused.state[n]) : Infinity]));
  return {
    lossErr,
    weightErr: Math.max(...Object.values(weightErrs)),
    weightErrs,
    buffers: names.length,
    losses: [fused.losses[0], fused.losses[steps - 1]],
    dispatches: { fused: fused.lastStepDispatches, plain: plain.lastStepDispatches },
  };
}

(window as unknown as { fusedParity: typeof compare }).fusedParity = compare;
(window as unknown as { parityReady: boolean }).parityReady = true;

/** Dispatches of the `steps`-th step (fused or plain path) and their histogram by program. */
async function profileStep(overrides: Partial<Config>, steps: number, fused: boolean) {
  if (!(await tf.setBackend('webgpu')) || tf.getBackend() !== 'webgpu') throw new Error('webgpu backend not available');
  setWebgpuFusedKernels(fused);
  const s = new TrainingSession({ ...DEFAULTS, ...overrides }, {}, 16);
  let total = 0;
  let hist: Record<string, number> = {};
  // Live tensors after each step: a later step must leave as many as the one before (nothing leaked).
  const live: number[] = [];
  for (let k = 0; k < steps; k++) {
    const [n0, h0] = [webgpuDispatches()!, webgpuDispatchesByProgram()];
    const r = await s.trainStep();
    await r.loss.data();
    r.loss.dispose();
    live.push(tf.memory().numTensors);
    total = webgpuDispatches()! - n0;
    hist = Object.fromEntries([...webgpuDispatchesByProgram()].map(([k2, v]) => [k2, v - (h0.get(k2) ?? 0)]).filter(([, v]) => (v as number) > 0));
  }
  s.dispose();
  setWebgpuFusedKernels(true);
  return { total, hist, leaked: live[live.length - 1] - live[live.length - 2] };
}
(window as unknown as { profileStep: typeof profileStep }).profileStep = profileStep;

/**
 * Each fused kernel that the step no longer calls on webgpu (parameter blocks, activation + derivative +
 * transpose), and the heads and updates, against its plain-op twin on the same random inputs: max |diff|.
 */
async function kernelParity(): Promise<Record<string, number>> {
  if (!(await tf.setBackend('webgpu')) || tf.getBackend() !== 'webgpu') throw new Error('webgpu backend not available');
  const rnd = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
  const both = async (f: () => tf.Tensor[]): Promise<number> => {
    setWebgpuFusedKernels(true);
    const a = f();
    setWebgpuFusedKernels(false);
    const b = f();
    setWebgpuFusedKernels(true);
    let m = a.length === b.length ? 0 : Infinity;
    for (let i = 0; i < a.length; i++) {
      const [x, y] = [await a[i].data(), await b[i].data()];
      if (x.length !== y.length) m = Infinity;
      for (let j = 0; j < x.length; j++) m = Math.max(m, Math.abs(x[j] - y[j]));
    }
    [...a, ...b].forEach((t) => t.dispose());
    return m;
  };
  const flat = rnd([700], 1) as tf.Tensor1D;
  const z = rnd([13, 20], 2) as tf.Tensor2D;
  const s = tf.sigmoid(z) as tf.Tensor2D;
  const ext = rnd([13, 5], 3) as tf.Tensor2D;
  const out: Record<string, number> = {};
  out.paramBlocks = await both(() => paramBlocks(flat, [[3, 21, 20], [450, 6, 7]], [[3, 20, 20], [450, 5, 7]]));
  for (const act of ['silu', 'relu'] as const) {
    for (const withExt of [true, false]) {
      out[`activation ${act}${withExt ? ' + columns' : ''}`] = await both(() => {
        const r = activation(z, act === 'silu' ? s : null, withExt ? ext : null, { act, train: true });
        return [r.y, r.yT!, r.deriv!];
      });
    }
  }
  const [F, skipX, target] = [rnd([13, 2], 4), rnd([13, 2], 5), rnd([13, 2], 6)];
  const [cOut, coef, dCoef] = [rnd([13, 1], 7), tf.abs(rnd([13, 1], 8)), rnd([13, 1], 9)];
  out.consistencyOut = await both(() => [consistencyOut(F, skipX, cOut)]);
  out.l2Head = await both(() => {
    const r = l2Head(F, skipX, cOut, target, coef, dCoef);
    return [r.loss, r.dF];
  });
  const [tF, tSkip, tC] = [rnd([13, 2], 14), rnd([13, 2], 15), rnd([13, 1], 16)];
  out.l2HeadOfTarget = await both(() => {
    const r = l2HeadOfTarget(F, skipX, cOut, { F: tF, skipX: tSkip, cOut: tC }, coef, dCoef);
    return [r.loss, r.dF];
  });
  // pseudo-Huber: iCT's 2D c (residuals ~1 >> c) and a c of the residuals' size.
  for (const c of [0.00054 * Math.SQRT2, 1]) {
    out[`huberHead c=${c.toPrecision(2)}`] = await both(() => {
      const r = huberHead(F, skipX, cOut, target, coef, dCoef, c);
      return [r.loss, r.dF];
    });
    out[`huberHeadOfTarget c=${c.toPrecision(2)}`] = await both(() => {
      const r = huberHeadOfTarget(F, skipX, cOut, { F: tF, skipX: tSkip, cOut: tC }, coef, dCoef, c);
      return [r.loss, r.dF];
    });
  }
  [tF, tSkip, tC].forEach((t) => t.dispose());
  const [p, g, m, v] = [rnd([300], 10), rnd([300], 11), rnd([300], 12), tf.square(rnd([300], 13))] as tf.Tensor1D[];
  out.adam = await both(() => adamUpdate(p, g, m, v, { beta1: 0.9, beta2: 0.999, scale: 1e-3, eps: 1e-8, adaptive: true }));
  out.ema = await both(() => emaUpdates(p, [g, m], [0.9, 0]));
  // Adam on packed moments [m; v] (FlatAdam's storage on the fused path), adaptive and not (RAdam's start).
  const mv = tf.concat([m, v]) as tf.Tensor1D;
  out.adamPacked = await both(() => adamUpdatePacked(p, g, mv, { beta1: 0.9, beta2: 0.999, scale: 1e-3, eps: 1e-8, adaptive: true }));
  out.adamPackedNotAdaptive = await both(() => adamUpdatePacked(p, g, mv, { beta1: 0.9, beta2: 0.999, scale: 1e-3, eps: 0, adaptive: false }));
  mv.dispose();
  // The exact mixture teacher's whole ODE step (one kernel) against the plain-op solver: equal stds (every
  // 2D dataset) and unequal ones (the log-variance term), both solvers. Times from 0.3 to 3.
  const B = 37;
  const tFrom = Float64Array.from({ length: B }, (_, i) => 0.3 + (2.7 * i) / (B - 1));
  const tTo = tFrom.map((t, i) => t * (0.6 + 0.01 * i));
  const xm = tf.mul(rnd([B, 2], 17), 1.5) as tf.Tensor2D;
  const means = Float64Array.from({ length: 14 }, (_, i) => Math.sin(1.7 * i + 0.3) * 1.2);
  const weights = Float64Array.from([0.1, 0.2, 0.05, 0.15, 0.2, 0.1, 0.2]);
  for (const [name, stds] of [['equal', new Float64Array(7).fill(0.2)], ['unequal', Float64Array.from([0.1, 0.3, 0.05, 0.2, 0.4, 0.15, 0.25])]] as const) {
    const D = new MixtureDenoiser({ dim: 2, means, stds, weights });
    for (const solver of ['heun', 'euler'] as const) out[`mixture ${solver}, ${name} stds`] = await both(() => [odeStep(solver, D, xm, tFrom, tTo)]);
    D.dispose();
  }
  xm.dispose();
  [flat, z, s, ext, F, skipX, target, cOut, coef, dCoef, p, g, m, v].forEach((t) => t.dispose());
  out['weightGradIntoFlat, 5 parts'] = await intoFlatErr();
  return out;
}

/**
 * The first layer's gradient written into the flat gradient with 5 other parts against product + concat:
 * max |diff| / max |ref| (the products sum 21 terms in different orders).
 */
async function intoFlatErr(): Promise<number> {
  const rnd = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
  const [x0, dz] = [rnd([21, 7], 20), rnd([21, 9], 21)] as tf.Tensor2D[];
  const parts = [rnd([10, 9], 22), rnd([10, 3], 23), rnd([4, 4], 24), rnd([1, 5], 25), rnd([2, 2], 26)];
  // Layer 0's block [7 x 9] first, then the parts in order (one gap of 3 zeros before the last).
  const offsets: number[] = [];
  let at = 63;
  parts.forEach((q, i) => {
    if (i === 4) at += 3;
    offsets.push(at);
    at += q.size;
  });
  const fused = weightGradIntoFlat(x0, dz, 0, parts, offsets, at);
  const ref = tf.concat([tf.reshape(tf.matMul(x0, dz, true, false), [-1]), ...parts.slice(0, 4).map((q) => tf.reshape(q, [-1])), tf.zeros([3]), tf.reshape(parts[4], [-1])]);
  const [a, b] = [await fused.data(), await ref.data()];
  let e = a.length === b.length ? 0 : Infinity;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    e = Math.max(e, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  [x0, dz, ...parts, fused, ref].forEach((t) => t.dispose());
  return e / scale;
}
(window as unknown as { kernelParity: typeof kernelParity }).kernelParity = kernelParity;

/**
 * FlatAdam's packed moments (fused path) through a checkpoint and both path changes, against the same three
 * updates on the plain-op path: A steps fused, then plain (packed -> split), then fused again (split ->
 * packed); B restores A's state after the first update and follows it. Max |diff| of parameters and state.
 */
async function optimizerLayouts(): Promise<Record<string, number>> {
  if (!(await tf.setBackend('webgpu')) || tf.getBackend() !== 'webgpu') throw new Error('webgpu backend not available');
  const settings = { kind: 'adam' as const, lr: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, warmupSteps: 0, gradClip: 0 };
  const n = 257;
  const p0 = tf.randomNormal([n], 0, 1, 'float32', 30) as tf.Tensor1D;
  const gs = [31, 32, 33].map((seed) => tf.randomNormal([n], 0, 1, 'float32', seed) as tf.Tensor1D);
  const run = async (fusedAt: boolean[], restoreAfterFirst: boolean) => {
    setWebgpuFusedKernels(fusedAt[0]);
    let opt = new FlatAdam(n, settings);
    let p = tf.clone(p0) as tf.Tensor1D;
    for (let k = 0; k < 3; k++) {
      setWebgpuFusedKernels(fusedAt[k]);
      const next = opt.step(p, gs[k]).params;
      p.dispose();
      p = next;
      if (k === 0 && restoreAfterFirst) {
        const state = await opt.getState();
        opt.dispose();
        opt = new FlatAdam(n, settings);
        opt.setState(state);
      }
    }
    const state = await opt.getState();
    const values = [(await p.data()) as Float32Array, state.m, state.v];
    opt.dispose();
    p.dispose();
    setWebgpuFusedKernels(true);
    return values;
  };
  const ref = await run([false, false, false], false);
  const maxDiff = (xs: Float32Array[]) => Math.max(...xs.map((x, i) => (x.length === ref[i].length ? Math.max(...x.map((v, j) => Math.abs(v - ref[i][j]))) : Infinity)));
  const out = {
    'fused, plain, fused': maxDiff(await run([true, false, true], false)),
    'fused, restored, plain, fused': maxDiff(await run([true, false, true], true)),
    'all fused, restored': maxDiff(await run([true, true, true], true)),
  };
  [p0, ...gs].forEach((t) => t.dispose());
  return out;
}
(window as unknown as { optimizerLayouts: typeof optimizerLayouts }).optimizerLayouts = optimizerLayouts;
