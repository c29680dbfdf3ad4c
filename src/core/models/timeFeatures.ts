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

/** [B] -> [B, F]. `freqs` is a [1, F/2] tensor. */
export function sinusoidalFeatures(cNoise: tf.Tensor1D, freqs: tf.Tensor2D): tf.Tensor2D {
  const angles = tf.mul(tf.reshape(cNoise, [-1, 1]), freqs) as tf.Tensor2D;
  return tf.concat([tf.sin(angles), tf.cos(angles)], 1);
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

