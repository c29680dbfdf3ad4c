import * as tf from '@tensorflow/tfjs';

/** Per-sample scalars as a float32 tensor shaped [B, 1, ...] to broadcast against x of the given rank. */
export function perSample(values: ArrayLike<number>, rank: number): tf.Tensor {
  const shape = [values.length, ...new Array(Math.max(rank - 1, 0)).fill(1)];
  return tf.tensor(Float32Array.from(values as ArrayLike<number>), shape, 'float32');
}

/** Same value for each of B samples. */
export function filled(value: number, B: number): Float64Array {
  return new Float64Array(B).fill(value);
}

export function mapValues(t: ArrayLike<number>, f: (v: number) => number): Float64Array {
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = f(t[i]);
  return out;
}

/** Flattened size of one sample. */
export function sampleSize(dataShape: readonly number[]): number {
  return dataShape.reduce((a, b) => a * b, 1);
}
