// Adam and RAdam on one flat parameter buffer: the update of every parameter is one kernel on cpu/wasm.
// The lr schedule (lrSchedule.ts) and global-norm clipping happen here; per-step scalars are computed in float64 in JavaScript.
import * as tf from '@tensorflow/tfjs';
import { adamUpdate, adamUpdatePacked } from './flatUpdateKernels';
import { fusedBackend, hostBackend } from '../models/hostKernel';
import { scheduledLr, type LrDecay } from './lrSchedule';

export interface OptimizerSettings {
  kind: 'adam' | 'radam';
  lr: number;
  beta1: number;
  beta2: number;
  /** Always explicit: tfjs on WebGL would otherwise pick 1e-4 (architecture.md section 6). */
  epsilon: number;
  warmupSteps: number;
  /** Decay after the warm-up (lrSchedule.ts); absent = constant. */
  decay?: LrDecay;
  /** The update at which the decay ends (the step budget). */
  decaySteps?: number;
  /** Global gradient-norm clip; 0 = off. */
  gradClip: number;
}

/**
 * The moments: m and v as two buffers, or (webgpu's fused path) one buffer [m; v], so the update is two
 * dispatches instead of three (a tfjs program writes one output). Which one is picked per step, by the
 * backend path in use; checkpoints see m and v either way.
 */
type Moments = { m: tf.Variable<tf.Rank.R1>; v: tf.Variable<tf.Rank.R1> } | { mv: tf.Variable<tf.Rank.R1> };

const variable = (t: tf.Tensor) => tf.variable(t, false) as tf.Variable<tf.Rank.R1>;

/** Whether the moments are packed: webgpu's fused kernels (not the host backends, not the plain ops). */
const packedPath = () => fusedBackend() && !hostBackend();

export class FlatAdam {
  private moments: Moments;
  /** Number of updates applied (t in Adam's bias correction). */
  t = 0;

  /** `size`: the length of the flat parameter buffer this optimiser will update. */
  constructor(readonly size: number, public settings: OptimizerSettings) {
    // tf.variable shares the initial tensor's data and adds a reference, so the initial tensors are freed.
    this.moments = tf.tidy(() => (packedPath() ? { mv: variable(tf.zeros([2 * size])) } : { m: variable(tf.zeros([size])), v: variable(tf.zeros([size])) }));
  }

  /** The moments in the layout `packed` asks for (converted once when the backend path changed). */
  private layout(packed: boolean): Moments {
    const cur = this.moments;
    if (packed === 'mv' in cur) return cur;
    this.moments = tf.tidy(() => ('mv' in cur
      ? { m: variable(tf.slice(cur.mv, 0, this.size)), v: variable(tf.slice(cur.mv, this.size, this.size)) }
      : { mv: variable(tf.concat([cur.m, cur.v])) }));
    disposeMoments(cur);
    return this.moments;
  }

  /** Learning rate at the next update: linear warm-up, then the schedule's decay (if any). */
  currentLr(): number {
    return scheduledLr(this.settings, this.t + 1);
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
      const mo = this.layout(packedPath());
      if ('mv' in mo) {
        const [p, mv] = adamUpdatePacked(params, g, mo.mv, coefs);
        mo.mv.assign(mv);
        return [p, ...out];
      }
      const [p, m, v] = adamUpdate(params, g, mo.m, mo.v, coefs);
      mo.m.assign(m);
      mo.v.assign(v);
      return [p, ...out];
    });
    return { params: next as tf.Tensor1D, norm: (norm as tf.Scalar | undefined) ?? null };
  }

  async getState(): Promise<{ t: number; m: Float32Array; v: Float32Array }> {
    const t = this.t;
    const mo = this.moments;
    if ('mv' in mo) {
      const mv = (await mo.mv.data()) as Float32Array;
      return { t, m: mv.slice(0, this.size), v: mv.slice(this.size) };
    }
    const [m, v] = await Promise.all([mo.m.data(), mo.v.data()]);
    return { t, m: m as Float32Array, v: v as Float32Array };
  }

  setState(s: { t: number; m: Float32Array; v: Float32Array }): void {
    if (s.m.length !== this.size || s.v.length !== this.size) throw new Error(`optimiser state for ${s.m.length} / ${s.v.length} parameters, expected ${this.size}`);
    this.t = s.t;
    const mo = this.moments;
    tf.tidy(() => {
      if ('mv' in mo) {
        const mv = new Float32Array(2 * this.size);
        mv.set(s.m);
        mv.set(s.v, this.size);
        mo.mv.assign(tf.tensor1d(mv));
      } else {
        mo.m.assign(tf.tensor1d(s.m));
        mo.v.assign(tf.tensor1d(s.v));
      }
    });
  }

  dispose(): void {
    disposeMoments(this.moments);
  }
}

function disposeMoments(mo: Moments): void {
  if ('mv' in mo) mo.mv.dispose();
  else tf.dispose([mo.m, mo.v]);
}
