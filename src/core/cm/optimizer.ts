// Adam and RAdam on a flat moment buffer: gradients are concatenated once, the moment updates run as a
// handful of kernels for all parameters together, and the update is split back per parameter.
// Warm-up and global-norm clipping happen here; scalars are computed in float64 in JavaScript.
import * as tf from '@tensorflow/tfjs';

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
  private readonly sizes: number[];
  private readonly shapes: number[][];
  readonly m: tf.Variable;
  readonly v: tf.Variable;
  /** Number of updates applied (t in Adam's bias correction). */
  t = 0;

  constructor(private readonly params: tf.Variable[], public settings: OptimizerSettings) {
    this.shapes = params.map((p) => p.shape);
    this.sizes = params.map((p) => p.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    // tf.variable shares the initial tensor's data and adds a reference, so the initial tensors are freed.
    this.m = tf.tidy(() => tf.variable(tf.zeros([total]), false));
    this.v = tf.tidy(() => tf.variable(tf.zeros([total]), false));
  }

  /** Learning rate at the next update, with linear warm-up. */
  currentLr(): number {
    const { lr, warmupSteps } = this.settings;
    return warmupSteps > 0 ? lr * Math.min(1, (this.t + 1) / warmupSteps) : lr;
  }

  /** Applies one update; `grads` are in the parameter order. Returns the (pre-clip) global gradient norm. */
  apply(grads: tf.Tensor[]): tf.Scalar {
    const { beta1, beta2, epsilon, gradClip, kind } = this.settings;
    const lr = this.currentLr();
    this.t += 1;
    const t = this.t;
    const bc1 = 1 - beta1 ** t;
    const bc2 = 1 - beta2 ** t;
    let stepScale: number; // multiplies m_hat / (sqrt(v_hat) + eps)
    let adaptive = true;
    if (kind === 'radam') {
      // RAdam (Liu et al. 2020): rectify the adaptive step once the variance estimate is tractable.
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * t * beta2 ** t) / bc2;
      if (rhoT > 5) {
        stepScale = lr * Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      } else {
        stepScale = lr;
        adaptive = false;
      }
    } else {
      stepScale = lr;
    }
    return tf.tidy(() => {
      let g = tf.concat(grads.map((x) => tf.reshape(x, [-1])));
      const norm = tf.norm(g) as tf.Scalar;
      if (gradClip > 0) g = tf.mul(g, tf.minimum(1, tf.div(gradClip, tf.add(norm, 1e-12))));
      const m = tf.add(tf.mul(this.m, beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(this.v, beta2), tf.mul(tf.square(g), 1 - beta2));
      this.m.assign(m);
      this.v.assign(v);
      const update = adaptive
        ? tf.div(tf.mul(m, stepScale / bc1), tf.add(tf.sqrt(tf.div(v, bc2)), epsilon))
        : tf.mul(m, stepScale / bc1);
      const pieces = tf.split(update, this.sizes);
      this.params.forEach((p, i) => p.assign(tf.sub(p, tf.reshape(pieces[i], this.shapes[i]))));
      return tf.keep(norm);
    });
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
