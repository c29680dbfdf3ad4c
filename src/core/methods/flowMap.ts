// X_theta(x_sigma, sigma -> sigma') in EDM coordinates for any method (few-step-methods.md section 8):
// convert to the method's time and space, take its jump, convert back. Methods that only map to the
// data end ('data-end') ignore sigma'.
import * as tf from '@tensorflow/tfjs';
import { mapValues } from '../tensorUtil';
import { perRow } from './common';
import type { FlowMapMethod, MethodContext } from './types';

export function flowMapEdm(
  method: FlowMapMethod, ctx: MethodContext, params: readonly tf.Tensor[], x: tf.Tensor, sigma: ArrayLike<number>, sigmaTo: ArrayLike<number>,
): tf.Tensor {
  return tf.tidy(() => {
    const tc = method.time;
    const t = mapValues(sigma, (v) => tc.timeOf(v));
    const s = method.jumps === 'data-end' ? new Float64Array(t.length).fill(tc.dataTime) : mapValues(sigmaTo, (v) => tc.timeOf(v));
    const xt = tc.name === 'edm' ? x : tf.mul(x, perRow(mapValues(t, (v) => 1 / tc.edmScale(v)), x));
    const y = method.jump(ctx, params, xt, t, s);
    return tc.name === 'edm' ? y : tf.mul(y, perRow(mapValues(s, (v) => tc.edmScale(v)), y));
  });
}
