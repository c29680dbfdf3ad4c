// A stride-1 'same' convolution with a hand-written gradient, for tfjs-backend-wasm, which has no
// Conv2DBackpropFilter kernel (so tfjs's own gradient fails there). The filter gradient is a sum over kernel
// offsets of (shifted input)^T x (output gradient), built from slices and untransposed matrix products
// (transposed products are slow on WASM); the input gradient is the transposed convolution, which WASM has.
import * as tf from '@tensorflow/tfjs';

type Conv = (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) => tf.Tensor4D;

const conv2dSameCustom = tf.customGrad((...args: (tf.Tensor | ((t: tf.Tensor[]) => void))[]) => {
  const [x, w, b] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
  const save = args[3] as (t: tf.Tensor[]) => void;
  save([x, w]);
  return {
    value: tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: b }),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
      const [B, H, W, cin] = xs.shape;
      const [kh, kw, , cout] = ws.shape;
      const ph = (kh - 1) / 2;
      const pw = (kw - 1) / 2;
      const dy4 = dy as tf.Tensor4D;
      const dx = tf.conv2dTranspose(dy4, ws, [B, H, W, cin], 1, 'same');
      const dyFlat = tf.reshape(dy4, [B * H * W, cout]);
      const padded = ph || pw ? tf.pad(xs, [[0, 0], [ph, ph], [pw, pw], [0, 0]]) : xs;
      const taps: tf.Tensor[] = [];
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const shifted = tf.reshape(tf.slice(padded, [0, i, j, 0], [B, H, W, cin]), [B * H * W, cin]);
          taps.push(tf.matMul(tf.transpose(shifted), dyFlat)); // [cin, cout]
        }
      }
      const dw = tf.reshape(tf.stack(taps), [kh, kw, cin, cout]);
      return [dx, dw, tf.sum(dy4, [0, 1, 2])];
    },
  };
}) as unknown as Conv;

/** Conv2D, stride 1, 'same' padding (odd kernels), bias added. Uses the hand-written gradient on WASM only. */
export function conv2dSame(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D): tf.Tensor4D {
  if (tf.getBackend() === 'wasm') return conv2dSameCustom(x, w, b);
  return tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: b });
}

/** The same layer with the hand-written gradient on every backend (for tests against tfjs's own). */
export const conv2dSameWithCustomGradient: Conv = (x, w, b) => conv2dSameCustom(x, w, b);
