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
import { adamUpdate, emaUpdates } from '../../../src/core/cm/flatUpdateKernels';
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
  for (let k = 0; k < steps; k++) {
    const [n0, h0] = [webgpuDispatches()!, webgpuDispatchesByProgram()];
    const r = await s.trainStep();
    await r.loss.data();
    r.loss.dispose();
    total = webgpuDispatches()! - n0;
    hist = Object.fromEntries([...webgpuDispatchesByProgram()].map(([k2, v]) => [k2, v - (h0.get(k2) ?? 0)]).filter(([, v]) => (v as number) > 0));
  }
  s.dispose();
  setWebgpuFusedKernels(true);
  return { total, hist };
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
  [tF, tSkip, tC].forEach((t) => t.dispose());
  const [p, g, m, v] = [rnd([300], 10), rnd([300], 11), rnd([300], 12), tf.square(rnd([300], 13))] as tf.Tensor1D[];
  out.adam = await both(() => adamUpdate(p, g, m, v, { beta1: 0.9, beta2: 0.999, scale: 1e-3, eps: 1e-8, adaptive: true }));
  out.ema = await both(() => emaUpdates(p, [g, m], [0.9, 0]));
  [flat, z, s, ext, F, skipX, target, cOut, coef, dCoef, p, g, m, v].forEach((t) => t.dispose());
  return out;
}
(window as unknown as { kernelParity: typeof kernelParity }).kernelParity = kernelParity;
