import * as tf from '@tensorflow/tfjs';

/**
 * Sinusoidal features of c_noise: [sin(w_j c), cos(w_j c)], with F/2 frequencies spaced geometrically
 * from 1 to 64. With the JAX convention c_noise = 0.25 ln t spans about [-1.6, 1.1] over [eps, T], so
 * these frequencies resolve t finely; the PyTorch convention (1000x larger) divides them by 1000.
 */
export function timeFrequencies(features: number, convention: 'jax' | 'pytorch' = 'jax'): Float32Array {
  const half = features / 2;
  const maxFreq = 64;
  const base = convention === 'jax' ? 1 : 1 / 1000; // PyTorch's c_noise is 1000x larger
  return Float32Array.from({ length: half }, (_, j) => base * (half === 1 ? 1 : maxFreq ** (j / (half - 1))));
}

/**
 * [B] -> [B, F]: [sin(w_j c), cos(w_j c)] computed as sin(c [w, w] + [0, pi/2]), four kernels, inside a
 * custom gradient so none of them are copied onto a gradient tape (the features of c_noise are constants
 * in training; the gradient with respect to c_noise is still exact). `freqs` is a [1, F/2] tensor.
 */
export function sinusoidalFeatures(cNoise: tf.Tensor1D, freqs: tf.Tensor2D): tf.Tensor2D {
  const { doubled, phase } = phaseTables(freqs);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [c, save] = args as [tf.Tensor1D, tf.GradSaveFunc];
    const angles = tf.add(tf.mul(tf.reshape(c, [-1, 1]), doubled), phase);
    save([angles]);
    return {
      value: tf.sin(angles),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.sum(tf.mul(tf.mul(dy, doubled), tf.cos(saved[0])), 1),
    };
  });
  return op(cNoise) as tf.Tensor2D;
}

// [w, w] and [0, pi/2] for a frequency table, made once per table.
const phaseCache = new WeakMap<tf.Tensor, { doubled: tf.Tensor2D; phase: tf.Tensor2D }>();
function phaseTables(freqs: tf.Tensor2D): { doubled: tf.Tensor2D; phase: tf.Tensor2D } {
  let e = phaseCache.get(freqs);
  if (!e || e.doubled.isDisposed) {
    const h = freqs.shape[1];
    e = {
      doubled: tf.keep(tf.concat([freqs, freqs], 1)),
      phase: tf.keep(tf.tensor2d(Float32Array.from({ length: 2 * h }, (_, j) => (j < h ? 0 : Math.PI / 2)), [1, 2 * h])),
    };
    phaseCache.set(freqs, e);
  }
  return e;
}

// Constant frequency tables, uploaded once per (values, backend) for the life of the program: networks are
// rebuilt on every configure, and a table per network would accumulate.
const frequencyTables = new Map<string, tf.Tensor2D>();
export function frequencyTensor(freqs: Float32Array): tf.Tensor2D {
  const key = `${tf.getBackend()}:${Array.from(freqs).join(',')}`;
  let t = frequencyTables.get(key);
  if (!t || t.isDisposed) {
    t = tf.keep(tf.tensor2d(freqs, [1, freqs.length]));
    frequencyTables.set(key, t);
  }
  return t;
}

