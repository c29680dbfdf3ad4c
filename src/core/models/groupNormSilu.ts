// y = silu(GroupNorm(x) a + b), the U-Net's normalise-modulate-activate step, as one custom op on the host
// backends (cpu, wasm): as plain ops it is ~20 launches forward and more backward (moments, broadcast
// multiplies and adds, their reductions), most of the U-Net step's non-convolution time on wasm. Here:
// - forward: one host kernel (statistics, then z = GroupNorm(x) a + b), the backend's Sigmoid, one Multiply;
// - backward: one host kernel with the hand-written gradient (dx, da, db in two passes over x).
// The kernels' row passes run as WebAssembly SIMD on wasm (groupNormLoops.ts, simdGroupNorm.ts).
// Other backends (webgl, webgpu) and hostBackend() false run the plain ops below, the formula the tests
// differentiate automatically. a and b are [C] (shared affine) or [B, C] (per-sample modulation).
import * as tf from '@tensorflow/tfjs';
import { hostBackend, registerHostKernel, runHostKernel } from './hostKernel';
import { BACKWARD_SCRATCH, FORWARD_SCRATCH, gnBackward, gnForward, gnPasses, type GnShape } from './groupNormLoops';

const FORWARD = 'GroupNormAffine';
const BACKWARD = 'GroupNormSiluGrad';

interface GnAttrs {
  groups: number;
  eps: number;
}

function gnShape(x: number[], a: number[], groups: number): GnShape {
  const [B, H, W, C] = x;
  return { B, P: H * W, C, G: groups, Ba: a[0] };
}

let registered = false;
function ensure(): void {
  if (registered) return;
  registered = true;
  // The last output of each kernel is scratch (per-channel vectors the SIMD passes read from the heap);
  // the caller disposes it at once.
  registerHostKernel<GnAttrs>({
    name: FORWARD,
    inputs: ['x', 'a', 'b'],
    outputShapes: ([x], at) => [x!, [x![0], at.groups, 2], [FORWARD_SCRATCH * x![3]]],
    run([x, a, b], [z, stats, scratch], at, shapes, memory) {
      const s = gnShape(shapes[0]!, shapes[1]!, at.groups);
      gnForward(gnPasses(memory, s.C), x!, a!, b!, z, stats, scratch, s, at.eps);
    },
  });
  registerHostKernel<GnAttrs>({
    name: BACKWARD,
    inputs: ['dy', 'x', 'z', 's', 'stats', 'a'],
    outputShapes: ([, x, , , , a]) => [x!, a!, a!, [BACKWARD_SCRATCH * x![3]]],
    run([dy, x, z, sg, stats, a], [dx, da, db, scratch], at, shapes, memory) {
      const s = gnShape(shapes[1]!, shapes[5]!, at.groups);
      gnBackward(gnPasses(memory, s.C), dy!, x!, z!, sg!, stats!, a!, dx, da, db, scratch, s);
    },
  });
}

type GnFn = (x: tf.Tensor4D, a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor4D;
const customByGroups = new Map<string, GnFn>();

function fused(groups: number, eps: number): GnFn {
  const key = `${groups}/${eps}`;
  let f = customByGroups.get(key);
  if (!f) {
    const attrs: GnAttrs = { groups, eps };
    f = tf.customGrad((...args: (tf.Tensor | ((t: tf.Tensor[]) => void))[]) => {
      const [x, a, b] = args as [tf.Tensor4D, tf.Tensor2D, tf.Tensor2D];
      const save = args[3] as (t: tf.Tensor[]) => void;
      const [z, stats, scratch] = runHostKernel(FORWARD, { x, a, b }, attrs);
      scratch.dispose();
      const s = tf.sigmoid(z);
      const y = tf.mul(z, s) as tf.Tensor4D;
      save([x, z, s, stats, a]);
      tf.dispose([z, s, stats]); // save() kept its own references (only while a gradient is recorded)
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xs, zs, ss, st, as] = saved;
          const [dx, da, db, scratch] = runHostKernel(BACKWARD, { dy, x: xs, z: zs, s: ss, stats: st, a: as }, attrs);
          scratch.dispose();
          return [dx, da, db];
        },
      };
    }) as unknown as GnFn;
    customByGroups.set(key, f);
  }
  return f;
}

/** The plain-op formula: GroupNorm over (H, W, C/G) per sample and group (biased variance), then a, b, SiLU. */
export function groupNormSiluByOps(x: tf.Tensor4D, a: tf.Tensor, b: tf.Tensor, groups: number, eps: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [B, H, W, C] = x.shape;
    const g = tf.reshape(x, [B, H * W, groups, C / groups]);
    const { mean, variance } = tf.moments(g, [1, 3], true);
    const norm = tf.reshape(tf.mul(tf.sub(g, mean), tf.rsqrt(tf.add(variance, eps))), [B, H, W, C]);
    const aa = a.rank === 1 ? a : tf.reshape(a, [-1, 1, 1, C]);
    const bb = b.rank === 1 ? b : tf.reshape(b, [-1, 1, 1, C]);
    const z = tf.add(tf.mul(norm, aa), bb);
    return tf.mul(z, tf.sigmoid(z)) as tf.Tensor4D;
  });
}

/** silu(GroupNorm(x) a + b); a, b [C] or [B, C]. Fused on cpu and wasm, plain ops elsewhere. */
export function groupNormSilu(x: tf.Tensor4D, a: tf.Tensor, b: tf.Tensor, groups: number, eps: number): tf.Tensor4D {
  if (!hostBackend()) return groupNormSiluByOps(x, a, b, groups, eps);
  ensure();
  const C = x.shape[3];
  const as2 = (t: tf.Tensor) => (t.rank === 1 ? tf.reshape(t, [1, C]) : t) as tf.Tensor2D;
  return tf.tidy(() => fused(groups, eps)(x, as2(a), as2(b)));
}
