// A dense layer act(x W + b) with a hand-written gradient that uses only untransposed matrix products.
// tfjs-backend-wasm runs transposed BatchMatMul 15-30x slower than plain ones (measured: 80-136 ms against
// 4-6 ms for 512x256x256), and the automatic gradient of matMul asks for exactly those; an explicit
// transpose plus a plain product is cheap on every backend.
// Kernel economy (the step's cost on small MLPs is mostly kernel count): the forward runs inside the
// custom gradient, so none of its intermediates are copied onto the tape; only what the gradient needs is
// saved. On cpu/wasm the product and bias are two kernels (the fused op adds three reshapes there, and
// wasm's fused kernel needs them); on GPU backends the fused op is one dispatch. On wasm with one thread the
// products are the own SIMD product where their shapes suit it (hostMatMul.ts).
import * as tf from '@tensorflow/tfjs';
import { mlpMatMul } from './hostMatMul';

export type DenseActivation = 'linear' | 'relu' | 'silu';

type DenseFn = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
const kernels = new Map<DenseActivation, DenseFn>();

function affine(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, relu: boolean): tf.Tensor2D {
  const backend = tf.getBackend();
  if (backend === 'cpu' || backend === 'wasm') {
    const z = tf.add(mlpMatMul(x, w), b) as tf.Tensor2D;
    return relu ? tf.relu(z) : z;
  }
  return tf.fused.matMul({ a: x, b: w, bias: b, activation: relu ? 'relu' : 'linear' }) as tf.Tensor2D;
}

function build(activation: DenseActivation): DenseFn {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, b] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const z = affine(x, w, b, activation === 'relu');
    let y = z;
    if (activation === 'silu') {
      const s = tf.sigmoid(z);
      y = tf.mul(z, s);
      save([x, w, s, y]);
    } else {
      save(activation === 'relu' ? [x, w, y] : [x, w]);
    }
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        let dz = dy as tf.Tensor2D;
        if (activation === 'relu') dz = tf.mul(dy, tf.step(saved[2]));
        // silu'(z) = s + z s (1 - s) = s + y (1 - s)
        if (activation === 'silu') dz = tf.mul(dy, tf.add(saved[2], tf.mul(saved[3], tf.sub(1, saved[2]))));
        return [mlpMatMul(dz, tf.transpose(ws)), mlpMatMul(tf.transpose(xs), dz), tf.sum(dz, 0)];
      },
    };
  }) as unknown as DenseFn;
}

export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: DenseActivation = 'linear'): tf.Tensor2D {
  let k = kernels.get(activation);
  if (!k) kernels.set(activation, (k = build(activation)));
  return k(x, w, b);
}
