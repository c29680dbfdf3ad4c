// The generic trainer of every method except CD and CT (which keep cm/consistencyTrainer.ts and its
// fused tape-free step). It knows no method by name: each step is draw -> target (no tape) -> loss
// (differentiated over the parameter pieces) -> FlatAdam -> target and evaluation EMAs, on the same
// flat buffers, streams and checkpoint shape as CD/CT, so sessions, run files and crash recovery work.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config';
import type { StepResult, TrainerCheckpoint } from '../cm/consistencyTrainer';
import { emaUpdate } from '../cm/ema';
import type { FlatAdam } from '../cm/optimizer';
import type { ScheduleAt } from '../cm/scheduleState';
import { TrainerState } from '../cm/trainerState';
import type { ParamLayout } from '../models/flatLayout';
import type { FlatParams } from '../models/paramSet';
import type { RunStreams } from '../rng';
import { completeParams, methodParams, withMethodParams } from './methodParams';
import type { MethodContext, MethodDraws, TrainingMethod } from './types';

/** What a session needs of a trainer: ConsistencyTrainer and MethodTrainer both have it. */
export interface StudentTrainer {
  readonly config: Config;
  readonly layout: ParamLayout;
  readonly online: FlatParams;
  readonly evalEma: FlatParams;
  readonly optimizer: FlatAdam;
  readonly streams: RunStreams;
  step: number;
  trainStep(): StepResult;
  scheduleAt(k?: number): ScheduleAt;
  samplingParams(which?: 'ema' | 'online'): tf.Tensor[];
  checkpoint(): Promise<TrainerCheckpoint>;
  restore(c: TrainerCheckpoint): void;
  dispose(): void;
}

export interface MethodTrainerParts {
  method: TrainingMethod;
  ctx: MethodContext;
  /** Starting weights (the teacher's for ECT; the method's own pieces, if left out, start at 0); otherwise drawn from the init stream. */
  initialParams?: Float32Array[];
}

const EMPTY = new Float64Array(0);

/**
 * The weights, streams, checkpoints and step counter are TrainerState's; theta^- exists where the method's
 * targetDecay > 0. The parameters are the network's followed by the method's own pieces (methodParams.ts).
 */
export class MethodTrainer extends TrainerState implements StudentTrainer {
  lastDraws: MethodDraws | null = null;
  /** parts.ctx with the network that carries the method's own pieces: what the method's hooks see. */
  readonly ctx: MethodContext;

  constructor(readonly parts: MethodTrainerParts) {
    const net = withMethodParams(parts.ctx.net, methodParams(parts.method, parts.ctx.config));
    const initial = parts.initialParams && completeParams(parts.initialParams, net.params);
    super(parts.ctx.config, net, initial, parts.method.targetDecay(parts.ctx.config) > 0);
    this.ctx = net === parts.ctx.net ? parts.ctx : { ...parts.ctx, net };
  }

  get config(): Config {
    return this.parts.ctx.config;
  }

  /** No Karras grid here: N and mu carry what the method reports (e.g. ECT's stage), sigmas are empty. */
  scheduleAt(k = this.step): ScheduleAt {
    const p = this.parts.method.progress?.(this.config, k) ?? { N: 0, mu: this.parts.method.targetDecay(this.config) };
    return { N: p.N, mu: p.mu, sigmas: EMPTY, cumulative: EMPTY, weights: EMPTY };
  }

  trainStep(): StepResult {
    const { method } = this.parts;
    const ctx = this.ctx;
    const s = this.scheduleAt();
    const lr = this.optimizer.currentLr();
    const d = method.draw(ctx, this.streams, this.step);
    this.lastDraws = d;
    const k = this.step;
    const loss = tf.tidy(() => {
      const pieces = this.layout.unflatten(this.online.flat);
      // The target is made before the tape starts: TF.js has no stop-gradient op.
      const target = method.target(ctx, this.target ? this.layout.unflatten(this.target.flat) : pieces, d, k);
      const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => method.loss(ctx, ps, d, target, k))(pieces);
      const { params } = this.optimizer.step(this.online.flat, this.layout.concat(grads));
      this.online.set(params);
      // Warm-up of the evaluation EMA as in the CD/CT trainer: early weights are forgotten quickly.
      const evalMu = Math.min(this.config.evalEma, (1 + k) / (10 + k));
      if (this.target) emaUpdate([this.target, this.evalEma], params, [method.targetDecay(this.config), evalMu]);
      else emaUpdate(this.evalEma, params, evalMu);
      return value;
    });
    this.step += 1;
    return { step: this.step, loss, N: s.N, mu: s.mu, lr };
  }

}
