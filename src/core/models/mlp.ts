// MLP with time features for 2D data: input [c_in x, sin/cos features of c_noise], `depth` hidden layers
// of `width` units, a zero-initialised linear output (so F = 0 and f = c_skip x at initialisation).
// With timeConditioning 'every-layer' each later hidden layer reads [h, time features]: that is h W + b
// plus a learned projection of the time features added to its pre-activation, in one fused kernel.
// Built from fused dense layers (bias and relu/SiLU inside one custom gradient, no transposed products).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { dense } from './dense';
import type { FusedMlpHost } from './fusedMlp';
import { frequencyTensor, sinusoidalFeatures, timeFrequencies } from './timeFeatures';
import type { MlpSpec, NetworkDef, ParamInfo } from './types';

export function mlpParams(spec: MlpSpec): ParamInfo[] {
  const d = spec.dataShape[0];
  const params: ParamInfo[] = [];
  const everyLayer = spec.timeConditioning === 'every-layer';
  const feats = spec.timeFeatures * (spec.timeInputs ?? 1);
  let fanIn = d + feats;
  for (let l = 0; l < spec.depth; l++) {
    params.push({ name: `hidden${l}.weight`, shape: [fanIn, spec.width] }, { name: `hidden${l}.bias`, shape: [spec.width] });
    fanIn = spec.width + (everyLayer ? feats : 0);
  }
  params.push({ name: 'out.weight', shape: [spec.width, d] }, { name: 'out.bias', shape: [d] });
  return params;
}

/** Features of one time ([B]) or of each of several ([B, k] -> [B, k F], column by column). */
function timeInputFeatures(cNoise: tf.Tensor1D | tf.Tensor2D, freqs: tf.Tensor2D): tf.Tensor2D {
  if (cNoise.rank === 1) return sinusoidalFeatures(cNoise as tf.Tensor1D, freqs);
  const cols = tf.unstack(cNoise, 1) as tf.Tensor1D[];
  return tf.concat(cols.map((c) => sinusoidalFeatures(c, freqs)), 1);
}

function activate(x: tf.Tensor2D, a: MlpSpec['activation']): tf.Tensor2D {
  switch (a) {
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'gelu': // tanh approximation
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI)))));
    case 'tanh':
      return tf.tanh(x);
    case 'relu':
      return tf.relu(x);
  }
}

export function createMlp(spec: MlpSpec, convention: 'jax' | 'pytorch' = 'jax'): NetworkDef<MlpSpec> & FusedMlpHost {
  const params = mlpParams(spec);
  const freqValues = timeFrequencies(spec.timeFeatures, convention);
  const getFreqs = () => frequencyTensor(freqValues);
  return {
    spec,
    params,
    // Read by the hand-differentiated training path (fusedMlp.ts), which makes the features on the host.
    fused: { freqs: freqValues },
    init(rng: Rng): Float32Array[] {
      return params.map(({ name, shape }) => {
        const size = shape.reduce((a, b) => a * b, 1);
        if (name.startsWith('out.') || name.endsWith('.bias')) return new Float32Array(size);
        const limit = Math.sqrt(6 / (shape[0] + shape[1])); // Glorot uniform
        return Float32Array.from({ length: size }, () => (2 * rng.uniform() - 1) * limit);
      });
    },
    forward(p, xIn, cNoise) {
      return tf.tidy(() => {
        const feats = timeInputFeatures(cNoise, getFreqs());
        let h: tf.Tensor2D = tf.concat([xIn as tf.Tensor2D, feats], 1);
        for (let l = 0; l < spec.depth; l++) {
          if (l > 0 && spec.timeConditioning === 'every-layer') h = tf.concat([h, feats], 1);
          const w = p[2 * l] as tf.Tensor2D;
          const b = p[2 * l + 1] as tf.Tensor1D;
          h = spec.activation === 'relu' || spec.activation === 'silu' ? dense(h, w, b, spec.activation) : activate(dense(h, w, b), spec.activation);
        }
        return dense(h, p[2 * spec.depth] as tf.Tensor2D, p[2 * spec.depth + 1] as tf.Tensor1D);
      });
    },
  };
}
