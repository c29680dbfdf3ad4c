// Exact denoiser of an isotropic Gaussian mixture (reference section 10):
// D*(x, t) = sum_k w_k(x, t) m_k(x, t), with w = softmax_k(log pi_k - d/2 log v_k - |x - mu_k|^2 / (2 v_k)),
// v_k = s_k^2 + t^2 and m_k = mu_k + s_k^2 / v_k (x - mu_k). The -d/2 log v_k term matters only when the
// component stds differ; with equal stds it cancels in the softmax, as in the reference's point-set form.
// Equal stds (every preset and point set) take a shorter path: see denoiseEqualStds. On webgpu's fused path
// a whole ODE step is one WGSL kernel (mixtureOdeWebgpu.ts; fusedStep), the plain ops being its reference.
import * as tf from '@tensorflow/tfjs';
import type { Mixture } from '../data/mixture';
import { fusedBackend, hostBackend } from '../models/hostKernel';
import type { Denoiser } from './denoiser';
import { MIXTURE_COMP_COLS, MIXTURE_ODE_MAX_DIM, mixtureOdeCoefColumns, mixtureOdeStep } from './mixtureOdeWebgpu';
import type { Solver } from './ode';

export class MixtureDenoiser implements Denoiser {
  private readonly means: tf.Tensor2D; // [K, d]
  private readonly meansT: tf.Tensor2D; // [d, K]: untransposed products are much faster on WASM
  private readonly meansSqNorm: tf.Tensor2D; // [1, K]
  private readonly variances: tf.Tensor2D; // [1, K]
  private readonly logWeights: tf.Tensor2D; // [1, K]
  private readonly halfSqNorm: tf.Tensor2D; // [1, K]: |mu_k|^2 / 2
  /** The common std when all components share one (null otherwise). */
  private readonly commonStd: number | null;
  /** Per component: log pi_k, |mu_k|^2 / 2, s_k^2, |mu_k|^2 (float32, as the tensors above); for fusedStep. */
  private readonly compHost: Float32Array;
  private comp: tf.Tensor2D | null = null;

  constructor(readonly mixture: Mixture) {
    const K = mixture.weights.length;
    const d = mixture.dim;
    this.means = tf.tensor2d(Float32Array.from(mixture.means), [K, d]);
    this.meansT = tf.keep(tf.transpose(this.means));
    const sq = new Float32Array(K);
    for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) sq[k] += mixture.means[k * d + j] ** 2;
    this.meansSqNorm = tf.tensor2d(sq, [1, K]);
    this.variances = tf.tensor2d(Float32Array.from(mixture.stds, (s) => s * s), [1, K]);
    this.logWeights = tf.tensor2d(Float32Array.from(mixture.weights, (w) => Math.log(w)), [1, K]);
    this.halfSqNorm = tf.tensor2d(sq.map((v) => v / 2), [1, K]);
    this.commonStd = mixture.stds.every((s) => s === mixture.stds[0]) ? mixture.stds[0] : null;
    this.compHost = new Float32Array(K * MIXTURE_COMP_COLS);
    for (let k = 0; k < K; k++) {
      this.compHost.set([Math.log(mixture.weights[k]), sq[k] / 2, mixture.stds[k] * mixture.stds[k], sq[k]], k * MIXTURE_COMP_COLS);
    }
  }

  /**
   * One ODE step from tFrom to tTo as one kernel (webgpu's fused path), with the plain path's per-sample
   * coefficients (float64 on the host, rounded once); null elsewhere: the caller runs the plain-op solver.
   */
  fusedStep(solver: Solver, x: tf.Tensor, tFrom: Float64Array, tTo: Float64Array): tf.Tensor | null {
    const d = this.mixture.dim;
    if (!fusedBackend() || hostBackend() || x.rank !== 2 || x.shape[1] !== d || d > MIXTURE_ODE_MAX_DIM) return null;
    const s = this.commonStd;
    const attrs = { solver, equalStds: s !== null };
    const B = tFrom.length;
    const NC = mixtureOdeCoefColumns(attrs);
    const coef = new Float32Array(B * NC);
    for (let i = 0; i < B; i++) {
      // Each evaluation's columns (denoiseEqualStds's, or denoise's t^2), then the step's, as ode.ts forms them.
      const evalCols = (t: number) => (s === null ? [t * t] : [1 / (s * s + t * t), 1 - (s * s) / (s * s + t * t), (s * s) / (s * s + t * t)]);
      const dt = tTo[i] - tFrom[i];
      const cols = solver === 'heun'
        ? [...evalCols(tFrom[i]), ...evalCols(tTo[i]), dt / tFrom[i], (0.5 * dt) / tFrom[i], (0.5 * dt) / tTo[i]]
        : [...evalCols(tFrom[i]), dt / tFrom[i]];
      coef.set(cols, i * NC);
    }
    this.comp ??= tf.keep(tf.tensor2d(this.compHost, [this.compHost.length / MIXTURE_COMP_COLS, MIXTURE_COMP_COLS]));
    return tf.tidy(() => mixtureOdeStep(x as tf.Tensor2D, this.means, this.comp!, tf.tensor2d(coef, [B, NC]), attrs));
  }

  denoise(x: tf.Tensor, t: Float64Array): tf.Tensor {
    if (this.commonStd !== null) return this.denoiseEqualStds(x as tf.Tensor2D, t, this.commonStd);
    return tf.tidy(() => {
      const d = this.mixture.dim;
      const x2 = x as tf.Tensor2D;
      const t2 = tf.tensor2d(Float32Array.from(t, (v) => v * v), [t.length, 1]);
      const v = tf.add(this.variances, t2); // [B, K]
      const xSq = tf.sum(tf.square(x2), 1, true); // [B, 1]
      const cross = tf.matMul(x2, this.meansT); // [B, K]
      const dist2 = tf.relu(tf.add(tf.sub(xSq, tf.mul(cross, 2)), this.meansSqNorm));
      const logits = tf.sub(tf.sub(this.logWeights, tf.mul(tf.log(v), d / 2)), tf.div(dist2, tf.mul(v, 2)));
      const w = tf.softmax(logits, -1); // [B, K]
      const a = tf.div(this.variances, v); // shrinkage towards x, [B, K]
      const towardsMeans = tf.matMul(tf.mul(w, tf.sub(1, a)), this.means); // [B, d]
      const keepX = tf.sum(tf.mul(w, a), 1, true); // [B, 1]
      return tf.add(towardsMeans, tf.mul(x2, keepX));
    });
  }

  /**
   * With one std s, v = s^2 + t^2 is per sample, so -d/2 log v and -|x|^2 / (2v) are the same for every k
   * and cancel in the softmax: logits = log pi_k + (x.mu_k - |mu_k|^2 / 2) / v, and
   * D = (1 - a) sum_k w_k mu_k + a x with a = s^2 / v. Per-sample factors come from the host in float64:
   * nine kernels instead of 23.
   */
  private denoiseEqualStds(x: tf.Tensor2D, t: Float64Array, s: number): tf.Tensor {
    return tf.tidy(() => {
      const B = t.length;
      const col = (f: (v: number) => number) => tf.tensor2d(Float32Array.from(t, (ti) => f(s * s + ti * ti)), [B, 1]);
      const logits = tf.add(this.logWeights, tf.mul(tf.sub(tf.matMul(x, this.meansT), this.halfSqNorm), col((v) => 1 / v)));
      const w = tf.softmax(logits, -1); // [B, K]
      return tf.add(tf.mul(tf.matMul(w, this.means), col((v) => 1 - (s * s) / v)), tf.mul(x, col((v) => (s * s) / v)));
    });
  }

  dispose(): void {
    tf.dispose([this.means, this.meansT, this.meansSqNorm, this.variances, this.logWeights, this.halfSqNorm, ...(this.comp ? [this.comp] : [])]);
    this.comp = null;
  }
}
