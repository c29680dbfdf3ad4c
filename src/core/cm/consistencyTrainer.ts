// Consistency distillation (Algorithm 2) and consistency training (Algorithm 3) as one training step.
// The online network sees the noisier point x_{n+1} at t_{n+1}; the target theta^- (no gradient) sees the
// cleaner point at t_n: a teacher ODE step for CD, x + t_n z with the SAME z for CT.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config';
import type { DataSource } from '../data/source';
import { fusedMlpPlan, type FusedMlp } from '../models/fusedMlp';
import type { NetworkDef } from '../models/types';
import type { Rng } from '../rng';
import type { Denoiser } from '../teacher/denoiser';
import { odeStep } from '../teacher/ode';
import { sampleSize } from '../tensorUtil';
import type { Scalings } from './consistencyFunction';
import { l2Distance, pseudoHuberC, type DistanceFn } from './distance';
import { emaUpdate } from './ema';
import { fusedLossAndGrad } from './fusedStep';
import { l2LossOfF } from './l2Loss';
import { applyNet, deviceInputs, hostInputs, hostNoisy, type NetInputs } from './netInputs';
import { ScheduleCache, type ScheduleAt } from './scheduleState';
import { TrainerState } from './trainerState';

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

/** The weights, streams, checkpoints and step counter are TrainerState's; theta^- is null while mu = 0 for the whole run. */
export class ConsistencyTrainer extends TrainerState {
  readonly schedule: ScheduleCache;
  readonly scalings: Scalings;
  /** The tape-free path (MLP with silu/relu and the l2 or pseudo-Huber distance), or null: automatic differentiation. */
  readonly fused: FusedMlp | null;
  /** The pseudo-Huber c on the tape-free path; null: l2. */
  private readonly fusedHuberC: number | null;
  lastDraws: StepDraws | null = null;

  constructor(readonly parts: TrainerParts) {
    const { config: c, net } = parts;
    if (c.mode === 'cd' && !parts.teacher) throw new Error('consistency distillation needs a teacher');
    const targetAlwaysOnline = c.nSchedule !== 'ct-adaptive' && c.mu === 0;
    super(c, net, parts.initialParams, !targetAlwaysOnline);
    this.schedule = new ScheduleCache(c);
    this.scalings = { eps: c.eps, sigmaData: c.sigmaData, cNoiseConvention: c.cNoiseConvention };
    this.fusedHuberC = pseudoHuberC(parts.distance);
    this.fused = parts.distance === l2Distance || this.fusedHuberC !== null ? fusedMlpPlan(net, this.layout) : null;
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

  /**
   * The stop-gradient target f_theta^-(x_hat, t_n), computed outside any gradient tape: for CT at
   * x + t_n z (the same z), for CD at the teacher's ODE step from x_{n+1} back to t_n.
   */
  private targetInputs(d: StepDraws, xNext: Float32Array, shape: number[]): NetInputs {
    if (this.config.mode === 'ct') return hostInputs(hostNoisy(d.x0, d.z, d.tCur), d.tCur, shape, this.scalings);
    const xCur = odeStep(this.config.solver, this.parts.teacher!, tf.tensor(xNext, shape), d.tNext, d.tCur);
    return deviceInputs(xCur, d.tCur, this.scalings);
  }

  /**
   * One optimiser step. Returns the loss as a kept scalar (read it with `await loss.data()`, then dispose).
   * `draws`: this step's draws made beforehand with draw(scheduleAt()) (the anatomy view looks at them first).
   */
  trainStep(draws?: StepDraws): StepResult {
    const s = this.scheduleAt();
    const lr = this.optimizer.currentLr();
    const d = draws ?? this.draw(s);
    this.lastDraws = d;
    const shape = [this.config.batchSize, ...this.parts.data.dataShape];
    const loss = tf.tidy(() => {
      const xNext = hostNoisy(d.x0, d.z, d.tNext);
      const inp = hostInputs(xNext, d.tNext, shape, this.scalings);
      const tInp = this.targetInputs(d, xNext, shape);
      const { value, grad } = this.fused
        ? fusedLossAndGrad(this.fused, this.online.flat, this.target?.flat ?? null, inp, tInp, d.weights, this.fusedHuberC)
        : this.lossAndGradByTape(inp, tInp, d.weights);
      const { params } = this.optimizer.step(this.online.flat, grad);
      this.online.set(params);
      // Warm-up of the evaluation EMA (as TensorFlow's num_updates): early weights are forgotten quickly.
      const evalMu = Math.min(this.config.evalEma, (1 + this.step) / (10 + this.step));
      if (this.target) emaUpdate([this.target, this.evalEma], params, [s.mu, evalMu]);
      else emaUpdate(this.evalEma, params, evalMu);
      return value;
    });
    this.step += 1;
    return { step: this.step, loss, N: s.N, mu: s.mu, lr };
  }

  /** Any network and distance: automatic differentiation over the parameter pieces. */
  private lossAndGradByTape(inp: NetInputs, tInp: NetInputs, lambdaValues: Float64Array): { value: tf.Scalar; grad: tf.Tensor1D } {
    const net = this.parts.net;
    // The parameter list is cut from the flat buffer outside the tape; the gradient is taken with
    // respect to the pieces and concatenated once, so no slice gradient pads each piece to full size.
    const pieces = this.layout.unflatten(this.online.flat);
    const target = applyNet(net, this.target ? this.layout.unflatten(this.target.flat) : pieces, tInp);
    let lossOf: (ps: tf.Tensor[]) => tf.Scalar;
    if (this.parts.distance === l2Distance) {
      const l2 = l2LossOfF(inp, inp.outValues, target, lambdaValues);
      lossOf = (ps) => l2(net.forward(ps, inp.xIn, inp.noise));
    } else {
      const lambda = tf.tensor1d(Float32Array.from(lambdaValues));
      lossOf = (ps) => tf.mean(tf.mul(lambda, this.parts.distance(applyNet(net, ps, inp), target)));
    }
    const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => lossOf(ps))(pieces);
    return { value: value as tf.Scalar, grad: this.layout.concat(grads) };
  }

}
