import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';

/**
 * A network architecture as a pure function of its parameters. The consistency function
 * f(x, t) = c_skip(t) x + c_out(t) F(c_in(t) x, c_noise(t)) calls `forward` as F; the online network,
 * the target network theta^- and the evaluation EMA are three parameter lists for the same definition.
 */
export interface NetworkDef<S extends NetworkSpec = NetworkSpec> {
  readonly spec: S;
  /** Names and shapes of the parameters, in a fixed order (the order of every parameter list). */
  readonly params: readonly ParamInfo[];
  /** Fresh initial values drawn from the init stream, one Float32Array per parameter. */
  init(rng: Rng): Float32Array[];
  /**
   * F(xIn, cNoise): xIn = c_in(t) x with shape [B, ...spec.dataShape], cNoise shape [B], or [B, 2] for a
   * network built with two time inputs (`timeInputs: 2`: MeanFlow's (t, t - r), shortcut's (t, d)).
   * Returns a tensor shaped like xIn. Must be pure (no variable creation) so it runs inside tf.tidy and
   * under gradient tapes.
   */
  forward(params: readonly tf.Tensor[], xIn: tf.Tensor, cNoise: tf.Tensor1D | tf.Tensor2D): tf.Tensor;
}

export interface ParamInfo {
  name: string;
  shape: number[];
}

export type Activation = 'silu' | 'relu' | 'gelu' | 'tanh';

export interface MlpSpec {
  kind: 'mlp';
  dataShape: [number];
  width: number;
  depth: number;
  activation: Activation;
  /** Number of sinusoidal features of c_noise (half sin, half cos). */
  timeFeatures: number;
  /**
   * 'every-layer': the time features also enter every hidden layer after the first. Absent means the
   * original input-only network, so specs in older run files still describe their architecture.
   */
  timeConditioning?: 'every-layer';
  /** 2: the network conditions on two times, each with its own `timeFeatures` features. Absent means 1. */
  timeInputs?: 2;
}

/** Defined by the U-Net module (images issue); kept open here so the core does not depend on it. */
export interface UnetSpec {
  kind: 'unet';
  dataShape: [number, number, number];
  /** 2: two conditioning times (see MlpSpec.timeInputs). */
  timeInputs?: 2;
  [key: string]: unknown;
}

export type NetworkSpec = MlpSpec | UnetSpec;
