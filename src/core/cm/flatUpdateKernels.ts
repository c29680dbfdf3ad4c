// One-pass updates of whole flat buffers on cpu/wasm (and webgpu: flatUpdateKernelsWebgpu.ts, where Adam
// may also run on packed moments [m; v]): Adam (m, v and the parameters together) and up to two
// EMAs of the same source. As plain ops (what GPU backends run) they are 9 and 3 launches per EMA.
// On wasm the loops run in WebAssembly SIMD (simdOps.ts); on cpu, and for tails, in JavaScript.
import * as tf from '@tensorflow/tfjs';
import { fusedBackend, hostBackend, registerHostKernel, runHostKernel } from '../models/hostKernel';
import { registerFlatUpdateWebgpu } from './flatUpdateKernelsWebgpu';
import { simdOps } from '../models/simdOps';

const ADAM = 'FlatAdamUpdate';
const EMA = 'FlatEmaUpdate';
const ADAM_PACKED = 'FlatAdamPackedUpdate';

export interface AdamCoefs {
  beta1: number;
  beta2: number;
  /** Multiplies m in the update: step scale with the bias corrections folded in. */
  scale: number;
  /** Added to sqrt(v) (epsilon with the bias correction folded in); unused when not adaptive. */
  eps: number;
  /** false: update = scale m (RAdam before its variance estimate is usable). */
  adaptive: boolean;
}

function registerOnce(): void {
  registerHostKernel<AdamCoefs>({
    name: ADAM,
    inputs: ['p', 'g', 'm', 'v'],
    outputShapes: ([p]) => [p!, p!, p!],
    run([p, g, m, v], [pOut, mOut, vOut], c, _s, memory) {
      const ops = c.adaptive ? simdOps(memory) : null;
      let from = 0;
      if (ops) {
        from = p!.length & ~3; // SIMD on whole groups of four, the tail below
        const [b1, b2] = [c.beta1, c.beta2];
        ops.adam(p!.byteOffset, g!.byteOffset, m!.byteOffset, v!.byteOffset, pOut.byteOffset, mOut.byteOffset, vOut.byteOffset, from, b1, 1 - b1, b2, 1 - b2, c.scale, c.eps);
      }
      const at = (a: Float32Array) => a.subarray(from);
      adam(at(p!), at(g!), at(m!), at(v!), at(pOut), at(mOut), at(vOut), c.beta1, c.beta2, c.scale, c.adaptive ? c.eps : NaN);
    },
  });
  registerHostKernel<{ mus: number[] }>({
    name: EMA,
    inputs: ['src', 't0', 't1'],
    outputShapes: ([src], a) => a.mus.map(() => src!),
    run([src, t0, t1], outs, a, _s, memory) {
      const ops = simdOps(memory);
      const from = ops ? src!.length & ~3 : 0;
      a.mus.forEach((mu, k) => {
        const t = k === 0 ? t0! : t1!;
        if (mu === 0) return outs[k].set(src!);
        if (ops) ops.ema(src!.byteOffset, t.byteOffset, outs[k].byteOffset, from, mu, 1 - mu);
        ema(src!.subarray(from), t.subarray(from), outs[k].subarray(from), mu);
      });
    },
  });
}

// Plain loops with every coefficient in a local (V8 does not hoist attribute reads out of them); values are
// computed in float64 and rounded once when stored (within float32 rounding of the op chains).
// eps NaN: not adaptive (update = scale m).
function adam(
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, pOut: Float32Array, mOut: Float32Array, vOut: Float32Array,
  beta1: number, beta2: number, scale: number, eps: number,
): void {
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  const n = p.length;
  const adaptive = !Number.isNaN(eps);
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = m[i] * beta1 + gi * a1;
    const vi = v[i] * beta2 + gi * gi * a2;
    mOut[i] = mi;
    vOut[i] = vi;
    // The update uses the stored (float32) moments, as the op chain does.
    pOut[i] = adaptive ? p[i] - (mOut[i] * scale) / (Math.sqrt(vOut[i]) + eps) : p[i] - mOut[i] * scale;
  }
}

function ema(src: Float32Array, t: Float32Array, out: Float32Array, mu: number): void {
  const w = 1 - mu;
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = t[i] * mu + src[i] * w;
}

let registered = false;
function ensure(): void {
  if (!registered) {
    registerOnce();
    registerFlatUpdateWebgpu(ADAM, EMA, ADAM_PACKED);
  }
  registered = true;
}

/** [params, m, v] after one Adam update with gradient g. */
export function adamUpdate(p: tf.Tensor1D, g: tf.Tensor1D, m: tf.Tensor1D, v: tf.Tensor1D, c: AdamCoefs): tf.Tensor1D[] {
  if (!fusedBackend()) return adamUpdateByOps(p, g, m, v, c);
  ensure();
  return runHostKernel(ADAM, { p, g, m, v }, c) as tf.Tensor1D[];
}

/**
 * [params, [m; v]] after one Adam update, the moments packed in one buffer [2n] (webgpu's fused path: two
 * dispatches instead of three). Elsewhere the plain ops on the halves, as the reference.
 */
export function adamUpdatePacked(p: tf.Tensor1D, g: tf.Tensor1D, mv: tf.Tensor1D, c: AdamCoefs): tf.Tensor1D[] {
  if (!fusedBackend() || hostBackend()) {
    return tf.tidy(() => {
      const n = p.shape[0];
      const [p2, m2, v2] = adamUpdateByOps(p, g, tf.slice(mv, 0, n), tf.slice(mv, n, n), c);
      return [p2, tf.concat([m2, v2])];
    });
  }
  ensure();
  return runHostKernel(ADAM_PACKED, { p, g, mv }, c) as tf.Tensor1D[];
}

export function adamUpdateByOps(p: tf.Tensor1D, g: tf.Tensor1D, m: tf.Tensor1D, v: tf.Tensor1D, c: AdamCoefs): tf.Tensor1D[] {
  return tf.tidy(() => {
    const m2 = tf.add(tf.mul(m, c.beta1), tf.mul(g, 1 - c.beta1)) as tf.Tensor1D;
    const v2 = tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(g), 1 - c.beta2)) as tf.Tensor1D;
    const update = c.adaptive ? tf.div(tf.mul(m2, c.scale), tf.add(tf.sqrt(v2), c.eps)) : tf.mul(m2, c.scale);
    return [tf.sub(p, update) as tf.Tensor1D, m2, v2];
  });
}

/** mu_k t_k + (1 - mu_k) src for each target (one or two); mu = 0 gives a copy of src. */
export function emaUpdates(src: tf.Tensor1D, targets: tf.Tensor1D[], mus: number[]): tf.Tensor1D[] {
  if (!fusedBackend()) return emaUpdatesByOps(src, targets, mus);
  ensure();
  return runHostKernel(EMA, { src, t0: targets[0], t1: targets[1] }, { mus }) as tf.Tensor1D[];
}

export function emaUpdatesByOps(src: tf.Tensor1D, targets: tf.Tensor1D[], mus: number[]): tf.Tensor1D[] {
  return targets.map((t, k) => (mus[k] === 0 ? tf.clone(src) : tf.tidy(() => tf.add(tf.mul(t, mus[k]), tf.mul(src, 1 - mus[k])) as tf.Tensor1D)));
}
