// One real training step taken apart (the "Anatomy of a step" view): the trainer's own draws for the
// next step, every intermediate point of Algorithm 2 / 3 for a few rows of the batch, the real step on
// those draws, and where f_theta moved. The trainer is restored afterwards unless the step is applied,
// so looking never changes the run.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config';
import { sampleSize } from '../tensorUtil';
import { eulerStep, odeStep } from '../teacher/ode';
import { consistencyFunction } from './consistencyFunction';
import type { ConsistencyTrainer, StepDraws } from './consistencyTrainer';
import { hostNoisy } from './netInputs';

export interface AnatomyOptions {
  /** How many rows of the batch to report (from row 0). */
  rows: number;
  /** Data points (normalised units, row-major) put into the first rows of the batch in place of drawn ones. */
  picked?: Float32Array;
  /** Keep the step (the run advances by one); otherwise the trainer is restored exactly. */
  apply?: boolean;
}

/** Per-row arrays are row-major [rows, ...dataShape]; per-row scalars have one value per row. */
export interface StepAnatomy {
  /** The step k this update is (the trainer's step before it). */
  step: number;
  mode: Config['mode'];
  solver: Config['solver'];
  batchSize: number;
  dataShape: number[];
  rows: number;
  N: number;
  mu: number;
  lr: number;
  /** Interval index n (0-based: t_n = sigmas[n]), t_n, t_{n+1} and the loss weight lambda(t_n). */
  n: number[];
  tCur: number[];
  tNext: number[];
  lambda: number[];
  x0: Float32Array;
  z: Float32Array;
  /** x_{t_{n+1}} = x_0 + t_{n+1} z. */
  xNext: Float32Array;
  /** CD: the teacher's denoised guess D(x_{t_{n+1}}, t_{n+1}); null for CT. */
  denoised: Float32Array | null;
  /** CD with Heun: the Euler predictor x' at t_n (the midpoint of the Heun step); otherwise null. */
  heunPredictor: Float32Array | null;
  /** The target's input: the teacher's ODE step (CD) or x_0 + t_n z with the same z (CT). */
  xHat: Float32Array;
  /** f_theta(x_{t_{n+1}}, t_{n+1}) and f_theta^-(x_hat, t_n) before the step. */
  fOnline: Float32Array;
  fTarget: Float32Array;
  /** d(f_theta, f_theta^-) per row, before lambda. */
  distance: number[];
  /** The batch loss mean_i lambda_i d_i recomputed from the draws, and the trainer's own loss of this step. */
  lossRecomputed: number;
  loss: number;
  /** f_theta(x_{t_{n+1}}, t_{n+1}) with the weights after the optimiser step. */
  fAfter: Float32Array;
  applied: boolean;
}

const rowsOf = (a: Float32Array, rows: number, size: number) => a.slice(0, rows * size);

export async function stepAnatomy(trainer: ConsistencyTrainer, opts: AnatomyOptions): Promise<StepAnatomy> {
  const c = trainer.config;
  const dataShape = trainer.parts.data.dataShape;
  const size = sampleSize(dataShape);
  const B = c.batchSize;
  const rows = Math.max(1, Math.min(Math.floor(opts.rows), B));
  if (opts.picked && (opts.picked.length % size !== 0 || opts.picked.length / size > B || !opts.picked.every(Number.isFinite))) {
    throw new RangeError(`picked points must be finite, ${size} numbers each, at most ${B} of them`);
  }
  const before = await trainer.checkpoint();
  const lastDraws = trainer.lastDraws;
  const k = trainer.step;
  const s = trainer.scheduleAt();
  const lr = trainer.optimizer.currentLr();
  const d: StepDraws = trainer.draw(s);
  if (opts.picked) d.x0.set(opts.picked);
  const shape = [B, ...dataShape];
  const xNextHost = hostNoisy(d.x0, d.z, d.tNext);

  // Every quantity of the step with the weights before it, on the whole batch (as the trainer sees it).
  const parts: Record<string, tf.Tensor> = tf.tidy(() => {
    const online = trainer.online.params();
    const target = trainer.target ? trainer.target.params() : online;
    const xNext = tf.tensor(xNextHost, shape);
    const out: Record<string, tf.Tensor> = {};
    if (c.mode === 'ct') out.xHat = tf.tensor(hostNoisy(d.x0, d.z, d.tCur), shape);
    else {
      const D = trainer.parts.teacher!;
      out.denoised = D.denoise(xNext, d.tNext);
      if (c.solver === 'heun') out.predictor = eulerStep(D, xNext, d.tNext, d.tCur);
      out.xHat = odeStep(c.solver, D, xNext, d.tNext, d.tCur);
    }
    out.fOnline = consistencyFunction(trainer.parts.net, online, xNext, d.tNext, trainer.scalings);
    out.fTarget = consistencyFunction(trainer.parts.net, target, out.xHat, d.tCur, trainer.scalings);
    out.dist = trainer.parts.distance(out.fOnline, out.fTarget);
    return out;
  });
  const read = async (t: tf.Tensor | undefined) => (t ? rowsOf((await t.data()) as Float32Array, rows, size) : null);
  const [xHat, denoised, heunPredictor, fOnline, fTarget] = await Promise.all(
    [parts.xHat, parts.denoised, parts.predictor, parts.fOnline, parts.fTarget].map(read),
  );
  const distAll = Array.from(await parts.dist.data());
  tf.dispose(Object.values(parts));
  const lossRecomputed = distAll.reduce((a, v, i) => a + d.weights[i] * v, 0) / B;

  // The real step on exactly these draws.
  const r = trainer.trainStep(d);
  const loss = (await r.loss.data())[0];
  r.loss.dispose();
  const fAfterT = tf.tidy(() => consistencyFunction(
    trainer.parts.net, trainer.online.params(), tf.tensor(rowsOf(xNextHost, rows, size), [rows, ...dataShape]), d.tNext.slice(0, rows), trainer.scalings,
  ));
  const fAfter = (await fAfterT.data()) as Float32Array;
  fAfterT.dispose();
  if (!opts.apply) {
    trainer.restore(before);
    trainer.lastDraws = lastDraws;
  }
  const first = <T extends ArrayLike<number>>(a: T) => Array.from(a).slice(0, rows);
  return {
    step: k, mode: c.mode, solver: c.solver, batchSize: B, dataShape: [...dataShape], rows, N: s.N, mu: s.mu, lr,
    n: first(d.n), tCur: first(d.tCur), tNext: first(d.tNext), lambda: first(d.weights),
    x0: rowsOf(d.x0, rows, size), z: rowsOf(d.z, rows, size), xNext: rowsOf(xNextHost, rows, size),
    denoised, heunPredictor, xHat: xHat!, fOnline: fOnline!, fTarget: fTarget!,
    distance: distAll.slice(0, rows), lossRecomputed, loss, fAfter, applied: !!opts.apply,
  };
}
