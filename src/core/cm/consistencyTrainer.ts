// Consistency distillation (Algorithm 2) and consistency training (Algorithm 3) as one training step.
// The online network sees the noisier point x_{n+1} at t_{n+1}; the target theta^- (no gradient) sees the
// cleaner point at t_n: a teacher ODE step for CD, x + t_n z with the SAME z for CT.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config';
import type { DataSource } from '../data/source';
import { createVariables, readVariables, assignVariables } from '../models/paramSet';
import type { NetworkDef } from '../models/types';
import { runStreams, type Rng, type RunStreams } from '../rng';
import type { Denoiser } from '../teacher/denoiser';
import { odeStep } from '../teacher/ode';
import { perSample, sampleSize } from '../tensorUtil';
import { consistencyFunction, type Scalings } from './consistencyFunction';
import type { DistanceFn } from './distance';
import { emaUpdate } from './ema';
import { FlatAdam } from './optimizer';
import { ScheduleCache, type ScheduleAt } from './scheduleState';

export interface TrainerParts {
  config: Config;
  net: NetworkDef;
  data: DataSource;
  distance: DistanceFn;
  /** Required for CD. */
  teacher?: Denoiser;
  /** Starting weights (e.g. the teacher's, when architectures match); otherwise drawn from the init stream. */
  initialParams?: Float32Array[];
}

export interface StepResult {
  step: number;
  /** Scalar loss tensor, kept: the caller reads it (asynchronously) and disposes it. */
  loss: tf.Scalar;
  N: number;
  mu: number;
  lr: number;
}

/** The draws of one step, exposed so tests can check what the step did (e.g. one z for both points). */
export interface StepDraws {
  x0: Float32Array;
  z: Float32Array;
  n: Int32Array;
  tCur: Float64Array;
  tNext: Float64Array;
  weights: Float64Array;
}

export interface TrainerCheckpoint {
  step: number;
  online: Float32Array[];
  target: Float32Array[] | null;
  evalEma: Float32Array[];
  optimizer: { t: number; m: Float32Array; v: Float32Array };
  rng: { data: number[]; train: number[] };
}

export class ConsistencyTrainer {
  readonly online: tf.Variable[];
  /** theta^-; null while mu = 0 for the whole run, when the target is the online net itself. */
  readonly target: tf.Variable[] | null;
  /** The separate evaluation EMA used for sampling (reference section 8). */
  readonly evalEma: tf.Variable[];
  readonly optimizer: FlatAdam;
  readonly streams: RunStreams;
  readonly schedule: ScheduleCache;
  readonly scalings: Scalings;
  step = 0;
  lastDraws: StepDraws | null = null;

  constructor(readonly parts: TrainerParts) {
    const { config: c, net } = parts;
    if (c.mode === 'cd' && !parts.teacher) throw new Error('consistency distillation needs a teacher');
    this.streams = runStreams(c.seed);
    const init = parts.initialParams ?? net.init(this.streams.init);
    this.online = createVariables(net, init, true, 'online/');
    const targetAlwaysOnline = c.nSchedule !== 'ct-adaptive' && c.mu === 0;
    this.target = targetAlwaysOnline ? null : createVariables(net, init, false, 'target/');
    this.evalEma = createVariables(net, init, false, 'ema/');
    this.optimizer = new FlatAdam(this.online, {
      kind: c.optimizer, lr: c.lr, beta1: c.beta1, beta2: c.beta2, epsilon: c.adamEps, warmupSteps: c.warmupSteps, gradClip: c.gradClip,
    });
    this.schedule = new ScheduleCache(c);
    this.scalings = { eps: c.eps, sigmaData: c.sigmaData, cNoiseConvention: c.cNoiseConvention };
  }

  get config(): Config {
    return this.parts.config;
  }

  scheduleAt(k = this.step): ScheduleAt {
    return this.schedule.at(k);
  }

  /** Draws the batch, the interval indices n (0-based: t_n = sigmas[n], t_{n+1} = sigmas[n + 1]) and z. */
  draw(s: ScheduleAt, rng: { data: Rng; train: Rng } = this.streams): StepDraws {
    const B = this.config.batchSize;
    const size = sampleSize(this.parts.data.dataShape);
    const x0 = this.parts.data.sample(B, rng.data);
    const n = new Int32Array(B);
    const tCur = new Float64Array(B);
    const tNext = new Float64Array(B);
    const weights = new Float64Array(B);
    for (let i = 0; i < B; i++) {
      n[i] = rng.train.categorical(s.cumulative); // never the last index: n + 1 <= N - 1
      tCur[i] = s.sigmas[n[i]];
      tNext[i] = s.sigmas[n[i] + 1];
      weights[i] = s.weights[n[i]];
    }
    const z = rng.train.normals(B * size);
    return { x0, z, n, tCur, tNext, weights };
  }

  /** The stop-gradient target f_theta^-(x_hat, t_n), computed outside any gradient tape. */
  targetOutput(d: StepDraws, x: tf.Tensor, z: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const r = x.rank;
      const targetParams = this.target ?? this.online;
      let xCur: tf.Tensor;
      if (this.config.mode === 'ct') {
        xCur = tf.add(x, tf.mul(perSample(d.tCur, r), z));
      } else {
        const xNext = tf.add(x, tf.mul(perSample(d.tNext, r), z));
        xCur = odeStep(this.config.solver, this.parts.teacher!, xNext, d.tNext, d.tCur);
      }
      return consistencyFunction(this.parts.net, targetParams, xCur, d.tCur, this.scalings);
    });
  }

  /** One optimiser step. Returns the loss as a kept scalar (read it with `await loss.data()`, then dispose). */
  trainStep(): StepResult {
    const s = this.scheduleAt();
    const lr = this.optimizer.currentLr();
    const d = this.draw(s);
    this.lastDraws = d;
    const shape = [this.config.batchSize, ...this.parts.data.dataShape];
    const loss = tf.tidy(() => {
      const x = tf.tensor(d.x0, shape);
      const z = tf.tensor(d.z, shape);
      const target = this.targetOutput(d, x, z);
      const xNext = tf.add(x, tf.mul(perSample(d.tNext, x.rank), z));
      const lambda = tf.tensor1d(Float32Array.from(d.weights));
      const { value, grads } = tf.variableGrads(() => {
        const online = consistencyFunction(this.parts.net, this.online, xNext, d.tNext, this.scalings);
        return tf.mean(tf.mul(lambda, this.parts.distance(online, target))) as tf.Scalar;
      }, this.online);
      this.optimizer.apply(this.online.map((v) => grads[v.name])).dispose();
      return value;
    });
    if (this.target) emaUpdate(this.target, this.online, s.mu);
    // Warm-up of the evaluation EMA (as TensorFlow's num_updates): early weights are forgotten quickly.
    emaUpdate(this.evalEma, this.online, Math.min(this.config.evalEma, (1 + this.step) / (10 + this.step)));
    this.step += 1;
    return { step: this.step, loss, N: s.N, mu: s.mu, lr };
  }

  /** Parameters for sampling: the evaluation EMA, or the raw online weights. */
  samplingParams(which: 'ema' | 'online' = 'ema'): tf.Variable[] {
    return which === 'ema' ? this.evalEma : this.online;
  }

  async checkpoint(): Promise<TrainerCheckpoint> {
    const [online, target, evalEma, optimizer] = await Promise.all([
      readVariables(this.online),
      this.target ? readVariables(this.target) : Promise.resolve(null),
      readVariables(this.evalEma),
      this.optimizer.getState(),
    ]);
    return {
      step: this.step, online, target, evalEma, optimizer,
      rng: { data: this.streams.data.getState(), train: this.streams.train.getState() },
    };
  }

  restore(c: TrainerCheckpoint): void {
    assignVariables(this.online, c.online);
    if (this.target && c.target) assignVariables(this.target, c.target);
    else if (this.target) assignVariables(this.target, c.online);
    assignVariables(this.evalEma, c.evalEma);
    this.optimizer.setState(c.optimizer);
    this.streams.data.setState(c.rng.data);
    this.streams.train.setState(c.rng.train);
    this.step = c.step;
  }

  dispose(): void {
    tf.dispose([...this.online, ...(this.target ?? []), ...this.evalEma]);
    this.optimizer.dispose();
  }
}
