// Jacobian-vector products for the continuous-time methods (sCT/sCD, MeanFlow; few-step-methods.md §2).
// TensorFlow.js has no forward-mode autodiff, so there are two routes:
//  - double VJP: J v = d/du <J^T u, v> (J^T u is linear in u, so any u works). Exact to float32; costs
//    a taped forward, a backward and the backward of that backward (about 6-10 forward passes).
//  - finite difference along the tangent: [G(p + h v) - G(p - h v)] / (2h). Two forward passes and no tape;
//    its error is h^2/6 |G'''[v,v,v]| plus float32 rounding / h, so it is only accurate for smooth networks
//    (SiLU, not ReLU) with low-frequency time features.
// The training code uses the finite difference through `fdJvp` (see jvpChoice below and
// test/bench/jvpRoutes.ts for the measurements); the double VJP is the reference the tests hold it to.
import * as tf from '@tensorflow/tfjs';

/** A function of several tensors to one tensor, differentiable by tf.grads (e.g. a network's forward). */
export type TensorFn = (...inputs: tf.Tensor[]) => tf.Tensor;

/**
 * Exact JVP of `fn` at `primals` along `tangents` (null: that input does not move), by double VJP.
 * Returns a tensor shaped like fn's output. Call inside tf.tidy.
 */
export function doubleVjpJvp(fn: TensorFn, primals: readonly tf.Tensor[], tangents: readonly (tf.Tensor | null)[]): tf.Tensor {
  if (primals.length !== tangents.length) throw new Error(`jvp: ${primals.length} inputs but ${tangents.length} tangents`);
  const moving = primals.map((_, i) => i).filter((i) => tangents[i] !== null);
  if (moving.length === 0) throw new Error('jvp: every tangent is null');
  // u0 only fixes the output's shape: J^T u is linear in u, so its derivative along v does not depend on u0.
  const u0 = tf.tidy(() => tf.zerosLike(fn(...primals)));
  const vjpDotV = (u: tf.Tensor): tf.Scalar => {
    const grads = tf.grads((...ms: tf.Tensor[]) => {
      const inputs = primals.slice();
      moving.forEach((i, k) => (inputs[i] = ms[k]));
      return tf.sum(tf.mul(fn(...inputs), u));
    })(moving.map((i) => primals[i]));
    return grads.reduce<tf.Scalar>((acc, g, k) => tf.add(acc, tf.sum(tf.mul(g, tangents[moving[k]]!))) as tf.Scalar, tf.scalar(0));
  };
  const jv = tf.grad(vjpDotV)(u0);
  u0.dispose();
  return jv;
}

export type FdScheme = 'central' | 'forward';

/**
 * JVP by finite difference along the tangent: central [G(p + hv) - G(p - hv)]/(2h), or forward
 * [G(p + hv) - G(p)]/h (for when p - hv leaves the domain, e.g. MeanFlow's t - h < r). Call inside tf.tidy.
 * `atPrimal` may pass G(p) when it is already known (forward scheme only).
 */
export function finiteDifferenceJvp(
  fn: TensorFn, primals: readonly tf.Tensor[], tangents: readonly (tf.Tensor | null)[], h: number, scheme: FdScheme = 'central', atPrimal?: tf.Tensor,
): tf.Tensor {
  if (primals.length !== tangents.length) throw new Error(`jvp: ${primals.length} inputs but ${tangents.length} tangents`);
  if (!(h > 0)) throw new Error(`jvp: the finite-difference step must be > 0, got ${h}`);
  const shifted = (sign: number) => primals.map((p, i) => (tangents[i] ? tf.add(p, tf.mul(tangents[i]!, sign * h)) : p));
  const plus = fn(...shifted(1));
  if (scheme === 'forward') return tf.div(tf.sub(plus, atPrimal ?? fn(...primals)), h);
  return tf.div(tf.sub(plus, fn(...shifted(-1))), 2 * h);
}

export type JvpRoute = 'fd' | 'double-vjp';

/**
 * The route the trainers use, and the step h for the finite difference. Measured with
 * test/bench/jvpRoutes.ts (MLP 4x256, batch 256, Node): with SiLU and time inputs of at most 2 rad per unit
 * t, the central difference at h = 0.01 is within 7e-5 relative RMS of the exact product and costs 2
 * forward passes (wasm: 30 ms against 135 ms for the double VJP, forward 7 ms; cpu 0.9 s against 2.0 s);
 * a whole sCT or MeanFlow training step takes 2.8x as long with the double VJP (wasm, shared machine).
 * ReLU keeps the exact route: there a finite difference is 3-24 % wrong at any h from 0.001 to 0.1.
 * `setting` is the run's jvpRoute ('auto' = this rule). The U-Net (SiLU) always takes the difference: tfjs
 * cannot differentiate its average pooling twice (no gradient for AvgPoolGrad).
 */
export function jvpChoice(activation: string, setting: 'auto' | 'exact' | 'fd' = 'auto', model = 'mlp'): { route: JvpRoute; h: number } {
  if (model !== 'mlp') {
    // tfjs has no gradient of AvgPoolGrad, so a double VJP cannot pass the U-Net's pooling (config.ts refuses 'exact').
    if (setting === 'exact') throw new Error('jvpRoute: the exact (double VJP) route needs the MLP; the U-Net has no second derivative in tfjs');
    return { route: 'fd', h: 0.01 };
  }
  const exact = setting === 'exact' || (setting === 'auto' && activation === 'relu');
  return exact ? { route: 'double-vjp', h: 0 } : { route: 'fd', h: 0.01 };
}

/** The chosen route for a function, with `choice` from jvpChoice. Call inside tf.tidy. */
export function jvp(fn: TensorFn, primals: readonly tf.Tensor[], tangents: readonly (tf.Tensor | null)[], choice: { route: JvpRoute; h: number }): tf.Tensor {
  return choice.route === 'fd' ? finiteDifferenceJvp(fn, primals, tangents, choice.h) : doubleVjpJvp(fn, primals, tangents);
}

/** Relative RMS error sqrt(sum (a - b)^2 / sum b^2), for comparing routes. */
export function relativeRms(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < expected.length; i++) {
    e += (actual[i] - expected[i]) ** 2;
    s += expected[i] ** 2;
  }
  return Math.sqrt(e / Math.max(s, 1e-300));
}
