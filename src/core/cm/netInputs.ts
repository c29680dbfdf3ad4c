// The inputs of one evaluation of f(x, t) = c_skip x + c_out F(c_in x, c_noise) in a training step,
// prepared with as few kernels as possible: when x is on the host (CT's noisy points, CD's x_{n+1}) the
// products c_in x and c_skip x are formed in float64 in JavaScript and uploaded once, so the device only
// runs F and one multiply-add.
import * as tf from '@tensorflow/tfjs';
import type { NetworkDef } from '../models/types';
import { mapValues, perSample } from '../tensorUtil';
import type { Scalings } from './consistencyFunction';
import { cIn, cNoise, cOut, cSkip } from './parameterisation';

export interface NetInputs {
  /** c_in(t) x, shaped like x. */
  xIn: tf.Tensor;
  /** c_skip(t) x, shaped like x. */
  skipX: tf.Tensor;
  /** c_out(t) per sample, [B, 1, ...]. */
  out: tf.Tensor;
  /** c_noise(t), [B]. */
  noise: tf.Tensor1D;
  /** c_out(t) on the host (float64), for losses that fold it into a gradient coefficient. */
  outValues: Float64Array;
  /** Host copies of c_noise and (where the inputs were made on the host) c_in x, as float32. */
  host?: { xIn?: Float32Array; noise: Float32Array };
}

/** x (host, row-major [B, ...]) plus t per sample: four uploads, no kernel. */
export function hostInputs(x: Float32Array, t: Float64Array, shape: number[], s: Scalings): NetInputs {
  const B = t.length;
  const size = x.length / B;
  const xIn = new Float32Array(x.length);
  const skipX = new Float32Array(x.length);
  for (let i = 0; i < B; i++) {
    const a = cIn(t[i], s.sigmaData);
    const k = cSkip(t[i], s.eps, s.sigmaData);
    for (let j = i * size; j < (i + 1) * size; j++) {
      xIn[j] = a * x[j];
      skipX[j] = k * x[j];
    }
  }
  const outValues = mapValues(t, (v) => cOut(v, s.eps, s.sigmaData));
  const noise = Float32Array.from(t, (v) => cNoise(v, s.cNoiseConvention));
  return {
    xIn: tf.tensor(xIn, shape),
    skipX: tf.tensor(skipX, shape),
    out: perSample(outValues, shape.length),
    noise: tf.tensor1d(noise),
    outValues,
    host: { xIn, noise },
  };
}

/** x already on the device (e.g. after a teacher's ODE step): two kernels. */
export function deviceInputs(x: tf.Tensor, t: Float64Array, s: Scalings): NetInputs {
  const r = x.rank;
  const outValues = mapValues(t, (v) => cOut(v, s.eps, s.sigmaData));
  const noise = Float32Array.from(t, (v) => cNoise(v, s.cNoiseConvention));
  return {
    xIn: tf.mul(perSample(mapValues(t, (v) => cIn(v, s.sigmaData)), r), x),
    skipX: tf.mul(perSample(mapValues(t, (v) => cSkip(v, s.eps, s.sigmaData)), r), x),
    out: perSample(outValues, r),
    noise: tf.tensor1d(noise),
    outValues,
    host: { noise },
  };
}

/** f = c_skip x + c_out F(c_in x, c_noise). */
export function applyNet(net: NetworkDef, params: readonly tf.Tensor[], inp: NetInputs): tf.Tensor {
  return tf.add(inp.skipX, tf.mul(inp.out, net.forward(params, inp.xIn, inp.noise)));
}

/** x + t z per sample on the host, rounded to float32 once. */
export function hostNoisy(x0: Float32Array, z: Float32Array, t: Float64Array): Float32Array {
  const size = x0.length / t.length;
  const out = new Float32Array(x0.length);
  for (let i = 0; i < t.length; i++) for (let j = i * size; j < (i + 1) * size; j++) out[j] = x0[j] + t[i] * z[j];
  return out;
}
