// A learned diffusion teacher: an EDM denoiser D_phi(x, t) = c_skip x + c_out F_phi(c_in x, c_noise) with the
// unshifted scalings, trained with ln t ~ N(-1.2, 1.2^2) and weight (t^2 + sigma_d^2) / (t sigma_d)^2
// (reference section 2). Used for CD when no exact teacher exists, or to compare against one.
import * as tf from '@tensorflow/tfjs';
import type { DataSource } from '../data/source';
import { ParamLayout } from '../models/flatLayout';
import { FlatParams } from '../models/paramSet';
import type { NetworkDef } from '../models/types';
import { runStreams, type Rng, type RunStreams } from '../rng';
import { perSample, sampleSize } from '../tensorUtil';
import { edmDenoiserFunction, type Scalings } from '../cm/consistencyFunction';
import { FlatAdam, type OptimizerSettings } from '../cm/optimizer';
import { edmLossWeight } from '../cm/parameterisation';
import type { Denoiser } from './denoiser';

export const EDM_P_MEAN = -1.2;
export const EDM_P_STD = 1.2;

/** EDM's training times: ln t ~ N(P_mean, P_std^2), clamped to [eps, T] (the teacher is only used there). */
export function edmTrainingTimes(n: number, rng: Rng, eps: number, T: number): Float64Array {
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = Math.min(T, Math.max(eps, Math.exp(EDM_P_MEAN + EDM_P_STD * rng.normal())));
  return t;
}

export class EdmDenoiser implements Denoiser {
  constructor(readonly net: NetworkDef, readonly params: readonly tf.Tensor[], readonly scalings: Scalings) {}

  denoise(x: tf.Tensor, t: Float64Array): tf.Tensor {
    return edmDenoiserFunction(this.net, this.params, x, t, this.scalings);
  }
}

export interface EdmTrainerSettings {
  seed: number;
  batchSize: number;
  optimizer: OptimizerSettings;
  scalings: Scalings;
  /** Times are clamped to [eps, T] so the teacher is trained where it is used. */
  eps: number;
  T: number;
}

export class EdmTeacherTrainer {
  /** The teacher's weights as one flat buffer; `params.params()` gives the parameter list. */
  readonly params: FlatParams;
  readonly optimizer: FlatAdam;
  readonly streams: RunStreams;
  step = 0;

  constructor(readonly net: NetworkDef, readonly data: DataSource, readonly settings: EdmTrainerSettings, initial?: Float32Array[]) {
    // Its own streams (seed offset) so that training a teacher does not shift the student's random draws.
    this.streams = runStreams(settings.seed ^ 0x5eed7eac);
    const layout = new ParamLayout(net.params);
    this.params = new FlatParams(layout, initial ?? net.init(this.streams.init), 'teacher/');
    this.optimizer = new FlatAdam(layout.total, settings.optimizer);
  }

  trainStep(): tf.Scalar {
    const { batchSize: B, eps, T, scalings } = this.settings;
    const size = sampleSize(this.data.dataShape);
    const x0 = this.data.sample(B, this.streams.data);
    const t = edmTrainingTimes(B, this.streams.train, eps, T);
    const z = this.streams.train.normals(B * size);
    const shape = [B, ...this.data.dataShape];
    const loss = tf.tidy(() => {
      const x = tf.tensor(x0, shape);
      const noisy = tf.add(x, tf.mul(perSample(t, x.rank), tf.tensor(z, shape)));
      const w = tf.tensor1d(Float32Array.from(t, (v) => edmLossWeight(v, scalings.sigmaData)));
      const axes = Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
      const layout = this.params.layout;
      const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => {
        const D = edmDenoiserFunction(this.net, ps, noisy, t, scalings);
        return tf.mean(tf.mul(w, tf.mean(tf.squaredDifference(D, x), axes))) as tf.Scalar;
      })(layout.unflatten(this.params.flat));
      this.params.set(this.optimizer.step(this.params.flat, layout.concat(grads)).params);
      return value;
    });
    this.step += 1;
    return loss;
  }

  denoiser(): EdmDenoiser {
    return new EdmDenoiser(this.net, this.params.params(), this.settings.scalings);
  }

  dispose(): void {
    this.params.dispose();
    this.optimizer.dispose();
  }
}
