// "MixtureOdeStep" (webgpu only): one whole PF-ODE step (Euler, or Heun with its two teacher evaluations)
// of the exact isotropic-Gaussian-mixture denoiser in ONE dispatch, instead of ~13 plain ops per evaluation.
// One thread per sample loops over the K components (three passes: softmax max, sum, weighted means), with
// the plain-op chain's float32 operations in the same order (mixtureDenoiser.ts, ode.ts); only the softmax's
// and the products' summation orders differ. Per-sample step coefficients come from the host in float64,
// as the plain path's columns do. mixtureDenoiser.ts decides when it runs; the plain ops are the reference.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfoLike } from '../models/hostKernel';
import { i32, perSample, registerWebgpuKernel, type WebgpuProgram } from '../models/webgpuKernel';

export const MIXTURE_ODE_STEP = 'MixtureOdeStep';
/** Largest data dimension (each thread keeps a few vectors of this length in registers). */
export const MIXTURE_ODE_MAX_DIM = 16;
/** Columns of the per-component table: log pi_k, |mu_k|^2 / 2, s_k^2, |mu_k|^2. */
export const MIXTURE_COMP_COLS = 4;

export interface MixtureOdeAttrs {
  solver: 'euler' | 'heun';
  /** All components share one std: the short softmax of denoiseEqualStds. */
  equalStds: boolean;
}

/**
 * Per-sample coefficient columns: each teacher evaluation's (equal stds: 1/v, 1 - s^2/v, s^2/v; otherwise
 * t^2), then the step's (Euler: dt/t; Heun: dt/t, dt/(2t), dt/(2t')).
 */
export function mixtureOdeCoefColumns(a: MixtureOdeAttrs): number {
  const perEval = a.equalStds ? 3 : 1;
  return a.solver === 'heun' ? 2 * perEval + 3 : perEval + 1;
}

function program(B: number, d: number, a: MixtureOdeAttrs): WebgpuProgram {
  const C = MIXTURE_COMP_COLS;
  const NC = mixtureOdeCoefColumns(a);
  const E = a.equalStds ? 3 : 1;
  // Logit of component k at x (c = 1/v for equal stds, else t^2), as mixtureDenoiser.ts forms it.
  const logit = a.equalStds
    ? `return COMP[k * ${C}] + (cross - COMP[k * ${C} + 1]) * c;`
    : `let v = COMP[k * ${C} + 2] + c;
       let dist2 = max((xSq - cross * 2.0) + COMP[k * ${C} + 3], 0.0);
       return (COMP[k * ${C}] - log(v) * ${(d / 2).toFixed(1)}) - dist2 / (v * 2.0);`;
  const accumulate = a.equalStds
    ? 'for (var j = 0; j < DIM; j = j + 1) { acc[j] = acc[j] + w * MU[k * DIM + j]; }'
    : `let sk = COMP[k * ${C} + 2]; let ak = sk / (sk + c0); let wt = w * (1.0 - ak);
       for (var j = 0; j < DIM; j = j + 1) { acc[j] = acc[j] + wt * MU[k * DIM + j]; }
       keep = keep + w * ak;`;
  const combine = a.equalStds ? 'acc[j] * c1 + x[j] * c2' : 'acc[j] + x[j] * keep';
  // D(x) from coefficient columns c0.. of this sample (c1, c2 unused without equal stds).
  const evalAt = (x: string, from: number) => `denoise(${x}, COEF[c + ${from}], ${a.equalStds ? `COEF[c + ${from + 1}], COEF[c + ${from + 2}]` : '0.0, 0.0'})`;
  const step = a.solver === 'heun'
    ? `let den1 = ${evalAt('x', 0)};
       var d1 : array<f32, DIM>;
       var xp : array<f32, DIM>;
       for (var j = 0; j < DIM; j = j + 1) { d1[j] = x[j] - den1[j]; xp[j] = x[j] + d1[j] * COEF[c + ${2 * E}]; }
       let den2 = ${evalAt('xp', E)};
       for (var j = 0; j < DIM; j = j + 1) {
         let d2 = xp[j] - den2[j];
         result[index * DIM + j] = x[j] + (d1[j] * COEF[c + ${2 * E + 1}] + d2 * COEF[c + ${2 * E + 2}]);
       }`
    : `let den = ${evalAt('x', 0)};
       for (var j = 0; j < DIM; j = j + 1) { result[index * DIM + j] = x[j] + (x[j] - den[j]) * COEF[c + ${E}]; }`;
  return perSample(`mixtureOde_${a.solver}_${a.equalStds}_${d}`, ['X', 'MU', 'COMP', 'COEF'], [B, d], 'b : i32, k : i32,', `
          var x : array<f32, DIM>;
          for (var j = 0; j < DIM; j = j + 1) { x[j] = X[index * DIM + j]; }
          let c = index * ${NC};
          ${step}`, `
      const DIM = ${d};
      fn logitOf(k : i32, xv : array<f32, DIM>, c : f32, xSq : f32) -> f32 {
        var x = xv;
        var cross = 0.0;
        for (var j = 0; j < DIM; j = j + 1) { cross = cross + x[j] * MU[k * DIM + j]; }
        ${logit}
      }
      fn denoise(xv : array<f32, DIM>, c0 : f32, c1 : f32, c2 : f32) -> array<f32, DIM> {
        var x = xv;
        var xSq = 0.0;
        for (var j = 0; j < DIM; j = j + 1) { xSq = xSq + x[j] * x[j]; }
        var mx = -3.402823e+38f;
        for (var k = 0; k < uniforms.k; k = k + 1) { mx = max(mx, logitOf(k, x, c0, xSq)); }
        var s = 0.0;
        for (var k = 0; k < uniforms.k; k = k + 1) { s = s + exp(logitOf(k, x, c0, xSq) - mx); }
        var acc : array<f32, DIM>;
        var keep = 0.0;
        for (var k = 0; k < uniforms.k; k = k + 1) {
          let w = exp(logitOf(k, x, c0, xSq) - mx) / s;
          ${accumulate}
        }
        var out : array<f32, DIM>;
        for (var j = 0; j < DIM; j = j + 1) { out[j] = ${combine}; }
        return out;
      }`);
}

let registered = false;
function ensure(): void {
  if (registered) return;
  registered = true;
  registerWebgpuKernel<MixtureOdeAttrs>({
    name: MIXTURE_ODE_STEP,
    inputs: ['x', 'means', 'comp', 'coef'],
    run([x, means, comp, coef], a, gpu) {
      const [B, d] = x!.shape;
      const K = means!.shape[0];
      if (x!.shape.length !== 2 || d > MIXTURE_ODE_MAX_DIM || means!.shape[1] !== d || comp!.shape[0] !== K || comp!.shape[1] !== MIXTURE_COMP_COLS) {
        throw new Error(`MixtureOdeStep: x ${x!.shape}, means ${means!.shape}, components ${comp!.shape} (dimension at most ${MIXTURE_ODE_MAX_DIM})`);
      }
      if (coef!.shape[0] !== B || coef!.shape[1] !== mixtureOdeCoefColumns(a)) throw new Error(`MixtureOdeStep: coefficients ${coef!.shape} for ${B} samples`);
      return [gpu.run(program(B, d, a), [x, means, comp, coef] as TensorInfoLike[], i32(B, K))];
    },
  });
}

/**
 * x [B, d] one ODE step on: `means` [K, d], `comp` [K, 4] (MIXTURE_COMP_COLS), `coef` [B, columns]
 * (mixtureOdeCoefColumns). webgpu only.
 */
export function mixtureOdeStep(x: tf.Tensor2D, means: tf.Tensor2D, comp: tf.Tensor2D, coef: tf.Tensor2D, attrs: MixtureOdeAttrs): tf.Tensor2D {
  ensure();
  return tf.engine().runKernel(MIXTURE_ODE_STEP, { x, means, comp, coef }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}
