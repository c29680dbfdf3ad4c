import * as tf from '@tensorflow/tfjs';
import type { NetworkDef } from './types';

/** Variables for a network's parameters from plain arrays, checking every shape. */
export function createVariables(net: NetworkDef, values: Float32Array[], trainable: boolean, prefix = ''): tf.Variable[] {
  if (values.length !== net.params.length) {
    throw new Error(`expected ${net.params.length} parameter tensors, got ${values.length}`);
  }
  return net.params.map(({ name, shape }, i) => {
    const size = shape.reduce((a, b) => a * b, 1);
    if (values[i].length !== size) {
      throw new Error(`parameter ${name}: expected ${size} values for shape [${shape}], got ${values[i].length}`);
    }
    // tf.tidy frees the initial tensor: the variable holds its own reference to the data.
    return tf.tidy(() => tf.variable(tf.tensor(values[i], shape, 'float32'), trainable, `${prefix}${name}_${Math.random().toString(36).slice(2)}`));
  });
}

export async function readVariables(vars: readonly tf.Tensor[]): Promise<Float32Array[]> {
  return Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
}

export function assignVariables(vars: readonly tf.Variable[], values: Float32Array[]): void {
  tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(values[i], v.shape, 'float32'))));
}

export function parameterCount(net: NetworkDef): number {
  return net.params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0);
}
