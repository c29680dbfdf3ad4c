// Closed-form "networks" for golden-value tests: forward(params, x, cond) computes a known function.
import * as tf from '@tensorflow/tfjs';
import { DEFAULTS, type Config } from '../../../src/core/config';
import type { DataSource } from '../../../src/core/data/source';
import type { MethodContext } from '../../../src/core/methods/types';
import type { NetworkDef } from '../../../src/core/models/types';

export function fakeNet(f: (x: tf.Tensor, cond: tf.Tensor) => tf.Tensor): NetworkDef {
  return {
    spec: { kind: 'mlp', dataShape: [2], width: 1, depth: 1, activation: 'silu', timeFeatures: 2 },
    params: [],
    init: () => [],
    forward: (_p, x, cond) => f(x, cond),
  };
}

export function fakeContext(net: NetworkDef, config: Partial<Config> = {}, data?: DataSource): MethodContext {
  const c = { ...DEFAULTS, ...config };
  return { config: c, net, dataShape: [2], data: data ?? { dataShape: [2], sample: (n) => new Float32Array(2 * n) }, teacher: null, exact: null };
}

/** Column j of a [B, 2] conditioning tensor as [B, 1]. */
export function column(cond: tf.Tensor, j: number): tf.Tensor {
  return tf.slice(cond, [0, j], [-1, 1]);
}
