// The method axis (architecture.md section 7, few-step-methods.md): every few-step method learns, or
// composes, a flow map X_theta(x, t -> s) of the probability-flow ODE and differs only in its time
// convention, its parameterisation, what one training step draws, its target and its loss.
//
// HOW TO ADD A METHOD
// 1. Settings (no tfjs here, the page imports them): `settings/<method>.ts` exports an interface of its
//    own settings, their DEFAULTS and FIELDS (each field with help text, formula and paper section, like
//    config.ts), and the keys it reads. Add them to `settings/index.ts` (the types, defaults, fields,
//    `METHOD_INFO[id]` with `available: true` and the keys of shared settings it uses). config.ts
//    assembles the one schema from there, so the page, URL, CLI and run files get the settings at once.
// 2. The method: `<method>.ts` exports a `TrainingMethod` (below). Write its formulas in the paper's own
//    time convention and give the conversion to EDM sigma in `time`; the trainer, the sampler, the views
//    and the flow-map error only ever call `apply`, `jump`, `sample` and the training hooks.
// 3. Register it in `registry.ts` (one line).
// 4. Tests: the golden values of its sheet section, the boundary of its parameterisation, a short 2D run
//    that must learn, and a CLI run (test/unit/cli/cm.test.ts).
// Networks: ctx.net is built with `timeInputs` of the method (models/index.ts createNetwork); call
// ctx.net.forward(params, xIn, cond) with cond [B] for one time or [B, 2] for two (each column gets its own
// sinusoidal features, frequencies 1..64 rad per unit of cond: scale the times so that is sensible).
// CD and CT keep their own trainer (cm/consistencyTrainer.ts, with the fused tape-free MLP step); their
// entries here serve sampling and views only. Every other method trains in `methodTrainer.ts`.
import type * as tf from '@tensorflow/tfjs';
import type { Config } from '../config';
import type { DataSource } from '../data/source';
import type { NetworkDef, ParamInfo } from '../models/types';
import type { Rng } from '../rng';
import type { Denoiser } from '../teacher/denoiser';

export type MethodId = 'cd' | 'ct' | 'ect' | 'scd' | 'sct' | 'meanflow' | 'shortcut' | 'flow';

/**
 * A method's own time t and its link to EDM's x_sigma = x_0 + sigma n (few-step-methods.md section 1):
 * sigma = sigmaOf(t) and x_sigma = edmScale(t) * x_t. Host-side float64.
 */
export interface TimeConvention {
  readonly name: 'edm' | 'trigflow' | 'fm' | 'fm-data-at-1';
  /** t at the data end (sigma = 0) and at the noise end (sigma = infinity, or T for EDM). */
  readonly dataTime: number;
  readonly noiseTime: number;
  sigmaOf(t: number): number;
  timeOf(sigma: number): number;
  /** x_sigma = edmScale(t) * x_t (1 for EDM, 1/cos t for TrigFlow, 1/(1 - t) for FM, 1/t for shortcut). */
  edmScale(t: number): number;
}

/** What a method may use besides its weights; built once per run by the trainer or the session. */
export interface MethodContext {
  readonly config: Config;
  readonly net: NetworkDef;
  readonly dataShape: readonly number[];
  readonly data: DataSource;
  /** D(x_sigma, sigma) of the run's teacher (learned, pretrained or exact), where it has one. */
  readonly teacher: Denoiser | null;
  /** The exact mixture denoiser (2D data only). */
  readonly exact: Denoiser | null;
}

/** The random draws of one step. x0 is the data batch; the rest is method-specific. */
export interface MethodDraws {
  x0: Float32Array;
}

/** Draws for sampling: unit normals, [B, ...dataShape]; each method scales them to its prior. */
export interface UnitNoise {
  initial: Float32Array;
  /** Extra noise for re-noising multistep samplers (consistency models), one array per step after the first. */
  perStep: Float32Array[];
}

/**
 * The part every method has, trained here or not: its network output, its flow map and its sampler.
 * All tensor-returning functions are called inside tf.tidy by the caller.
 */
export interface FlowMapMethod {
  readonly id: MethodId;
  readonly time: TimeConvention;
  /** 1: the network sees t; 2: it also sees a second time (MeanFlow's t - r, shortcut's step size d). */
  readonly timeInputs: 1 | 2;
  /** 'data-end': only X(x, t -> dataTime) exists (consistency models); 'any': every s between t and the data end. */
  readonly jumps: 'data-end' | 'any';
  /**
   * X_theta(x_t, t -> s) in the method's own coordinates, t and s per sample. For 'data-end' methods s
   * is ignored (treated as dataTime). X(x, t -> t) = x must hold exactly where the method defines it.
   */
  jump(ctx: MethodContext, params: readonly tf.Tensor[], x: tf.Tensor, t: Float64Array, s: Float64Array): tf.Tensor;
  /**
   * Samples from unit noise, in the method's coordinates at its data end (= EDM data space for all of
   * ours). Returns the results for increasing budgets: entry 0 is one network evaluation, entry i uses
   * `sampleBudgets(config)[i]` evaluations. Multistep consistency sampling returns its iterates.
   */
  sample(ctx: MethodContext, params: readonly tf.Tensor[], noise: UnitNoise): tf.Tensor[];
  /** Network evaluations of each entry of `sample` (labels for the page and the CLI). */
  sampleBudgets(config: Config): number[];
}

/** One training step's pieces. The trainer calls draw, then target outside any tape, then loss under it. */
export interface TrainingMethod<D extends MethodDraws = MethodDraws, Target = unknown> extends FlowMapMethod {
  /**
   * 'distil': the target uses ctx.teacher every step (CD, sCD). 'init': starts from the teacher's weights
   * (ECT; in 2D with the exact teacher it first fits the exact denoiser). 'none': learns from data alone.
   */
  readonly needsTeacher: 'distil' | 'init' | 'none';
  /** Decay of a target EMA theta^- for the target pass; 0 = the online weights themselves (stop-gradient). */
  targetDecay(config: Config): number;
  /** The step's draws from the data and training streams (step = 0-based iteration, for schedules). */
  draw(ctx: MethodContext, rng: { data: Rng; train: Rng }, step: number): D;
  /**
   * Everything the loss treats as a constant (targets, JVPs, teacher steps), computed with `targetParams`
   * and no gradient tape. Tensors it returns are disposed by the trainer after the step.
   */
  target(ctx: MethodContext, targetParams: readonly tf.Tensor[], d: D, step: number): Target;
  /** The scalar loss of the online parameters (differentiated by the trainer). */
  loss(ctx: MethodContext, params: readonly tf.Tensor[], d: D, target: Target, step: number): tf.Scalar;
  /**
   * Trainable pieces of the method's own (sCM's adaptive weight w_phi), appended after the network's
   * parameters in the trainer (methodParams.ts): the flat buffers, optimiser, EMAs, checkpoints and run
   * files carry them; they start at 0 and the network's forward ignores them. Absent or [] for none.
   */
  extraParams?(config: Config): readonly ParamInfo[];
  /** Shown in the progress line instead of CD/CT's N and mu (e.g. ECT's stage), or null. */
  progress?(config: Config, step: number): { N: number; mu: number } | null;
}

export function isTrainingMethod(m: FlowMapMethod): m is TrainingMethod {
  return 'draw' in m && 'loss' in m;
}
