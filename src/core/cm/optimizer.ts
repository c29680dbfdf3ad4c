// Adam and RAdam on one flat parameter buffer: the update of every parameter is one kernel on cpu/wasm.
// Warm-up and global-norm clipping happen here; per-step scalars are computed in float64 in JavaScript.
import * as tf from '@tensorflow/tfjs';
import { adamUpdate } from './flatUpdateKernels';

export interface OptimizerSettings {
  kind: 'adam' | 'radam';
  lr: number;
  beta1: number;
  beta2: number;
  /** Always explicit: tfjs on WebGL would otherwise pick 1e-4 (architecture.md section 6). */
  epsilon: number;
  warmupSteps: number;
  /** Global gradient-norm clip; 0 = off. */
  gradClip: number;
}

export class FlatAdam {
  readonly m: tf.Variable<tf.Rank.R1>;
  readonly v: tf.Variable<tf.Rank.R1>;
  /** Number of updates applied (t in Adam's bias correction). */
  t = 0;

  /** `size`: the length of the flat parameter buffer this optimiser will update. */
  constructor(readonly size: number, public settings: OptimizerSettings) {
    // tf.variable shares the initial tensor's data and adds a reference, so the initial tensors are freed.
    this.m = tf.tidy(() => tf.variable(tf.zeros([size]), false)) as tf.Variable<tf.Rank.R1>;
    this.v = tf.tidy(() => tf.variable(tf.zeros([size]), false)) as tf.Variable<tf.Rank.R1>;
  }

  /** Learning rate at the next update, with linear warm-up. */
  currentLr(): number {
    const { lr, warmupSteps } = this.settings;
    return warmupSteps > 0 ? lr * Math.min(1, (this.t + 1) / warmupSteps) : lr;
  }

  /**
   * Returns params - update for the flat gradient `g` and advances the moments; the caller assigns the
   * result to its buffer. Also returns the global gradient norm before clipping, computed only when
   * clipping is on (null otherwise: three kernels saved per step).
   */
  step(params: tf.Tensor1D, g: tf.Tensor1D): { params: tf.Tensor1D; norm: tf.Scalar | null } {
    const { beta1, beta2, epsilon, gradClip, kind } = this.settings;
    const lr = this.currentLr();
    this.t += 1;
    const t = this.t;
    const bc1 = 1 - beta1 ** t;
    const bc2 = 1 - beta2 ** t;
    let stepScale = lr; // multiplies m_hat / (sqrt(v_hat) + eps)
    let adaptive = true;
    if (kind === 'radam') {
      // RAdam (Liu et al. 2020): rectify the adaptive step once the variance estimate is tractable.
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * t * beta2 ** t) / bc2;
      if (rhoT > 5) stepScale = lr * Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      else adaptive = false;
    }
    const [next, norm] = tf.tidy(() => {
      const out: tf.Tensor[] = [];
      if (gradClip > 0) {
        const n = tf.sqrt(tf.sum(tf.square(g)));
        g = tf.mul(g, tf.minimum(1, tf.div(gradClip, tf.add(n, 1e-12))));
        out.push(n);
      }
      // s m_hat / (sqrt(v_hat) + eps) = m (s sqrt(bc2) / bc1) / (sqrt(v) + eps sqrt(bc2)): the bias
      // corrections folded into two float64 scalars; one fused kernel on cpu/wasm (flatUpdateKernels.ts).
      const coefs = adaptive
        ? { beta1, beta2, scale: (stepScale * Math.sqrt(bc2)) / bc1, eps: epsilon * Math.sqrt(bc2), adaptive }
        : { beta1, beta2, scale: stepScale / bc1, eps: 0, adaptive };
      const [p, m, v] = adamUpdate(params, g, this.m, this.v, coefs);
      this.m.assign(m);
      this.v.assign(v);
      return [p, ...out];
    });
    return { params: next as tf.Tensor1D, norm: (norm as tf.Scalar | undefined) ?? null };
  }

  getState(): Promise<{ t: number; m: Float32Array; v: Float32Array }> {
    return Promise.all([this.m.data(), this.v.data()]).then(([m, v]) => ({ t: this.t, m: m as Float32Array, v: v as Float32Array }));
  }

  setState(s: { t: number; m: Float32Array; v: Float32Array }): void {
    this.t = s.t;
    tf.tidy(() => {
      this.m.assign(tf.tensor1d(s.m));
      this.v.assign(tf.tensor1d(s.v));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
