import * as tf from '@tensorflow/tfjs';
import { emaUpdates } from './flatUpdateKernels';

type FlatTarget = { set(t: tf.Tensor): void; flat: tf.Tensor };

/**
 * theta^- <- mu theta^- + (1 - mu) theta on whole flat buffers, after the optimiser step (Algorithm 2,
 * last line): one kernel on cpu/wasm (three per target as plain ops) however many parameters there are.
 * Several targets of the same source (the target network and the evaluation EMA) share one pass.
 */
export function emaUpdate(targets: FlatTarget | FlatTarget[], source: tf.Tensor, mus: number | number[]): void {
  const ts = Array.isArray(targets) ? targets : [targets];
  const ms = Array.isArray(mus) ? mus : [mus];
  tf.tidy(() => {
    if (ts.length === 1 && ms[0] === 0) return ts[0].set(source);
    const outs = emaUpdates(source as tf.Tensor1D, ts.map((t) => t.flat as tf.Tensor1D), ms);
    ts.forEach((t, k) => t.set(outs[k]));
  });
}
