// f_theta(x, t) = c_skip(t) x + c_out(t) F_theta(c_in(t) x, c_noise(t)) (reference section 2).
// Scalings are computed per sample in float64 and uploaded as float32, so f(x, eps) = x exactly.
import * as tf from '@tensorflow/tfjs';
import type { NetworkDef } from '../models/types';
import { mapValues, perSample } from '../tensorUtil';
import { applyNet, deviceInputs } from './netInputs';
import { cIn, cNoise, edmOut, edmSkip, type CNoiseConvention } from './parameterisation';

export interface Scalings {
  eps: number;
  sigmaData: number;
  cNoiseConvention: CNoiseConvention;
}

export function consistencyFunction(
  net: NetworkDef, params: readonly tf.Tensor[], x: tf.Tensor, t: Float64Array, s: Scalings,
): tf.Tensor {
  return tf.tidy(() => applyNet(net, params, deviceInputs(x, t, s)));
}

/** EDM denoiser D(x, t) with the unshifted scalings (the diffusion teacher of section 2). */
export function edmDenoiserFunction(
  net: NetworkDef, params: readonly tf.Tensor[], x: tf.Tensor, t: Float64Array, s: Scalings,
): tf.Tensor {
  return tf.tidy(() => {
    const r = x.rank;
    const skip = perSample(mapValues(t, (v) => edmSkip(v, s.sigmaData)), r);
    const out = perSample(mapValues(t, (v) => edmOut(v, s.sigmaData)), r);
    const inp = perSample(mapValues(t, (v) => cIn(v, s.sigmaData)), r);
    const noise = tf.tensor1d(Float32Array.from(t, (v) => cNoise(v, s.cNoiseConvention)));
    const F = net.forward(params, tf.mul(inp, x), noise);
    return tf.add(tf.mul(skip, x), tf.mul(out, F));
  });
}
