// Bilinear resizing as two small matrix products. tfjs's cpu backend ignores halfPixelCenters in the
// resizeBilinear gradient, so a matrix formulation keeps values (torch's align_corners=False, no
// antialiasing) and gradients exact on every backend.

import * as tf from '@tensorflow/tfjs';

/** Row o holds the weights that output pixel o gives to input pixels (torch align_corners=False). */
export function bilinearMatrix(inSize: number, outSize: number): Float32Array {
  const m = new Float32Array(outSize * inSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const src = Math.max(0, (o + 0.5) * scale - 0.5);
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const i1 = Math.min(i0 + 1, inSize - 1);
    const t = src - i0;
    m[o * inSize + i0] += 1 - t;
    m[o * inSize + i1] += t;
  }
  return m;
}

/** Resizes NHWC images to size x size; `rows`/`cols` are bilinearMatrix tensors [out, in]. */
export function resizeWithMatrices(x: tf.Tensor4D, rows: tf.Tensor2D, cols: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const ho = rows.shape[0];
    const wo = cols.shape[0];
    // Along H: [H, B*W*C] -> [Ho, B*W*C]
    const alongH = tf.matMul(rows, tf.reshape(tf.transpose(x, [1, 0, 2, 3]), [h, b * w * c]));
    // Along W: bring W to the front, multiply, then restore [B, Ho, Wo, C].
    const wFirst = tf.reshape(tf.transpose(tf.reshape(alongH, [ho, b, w, c]), [2, 1, 0, 3]), [w, b * ho * c]);
    const alongW = tf.reshape(tf.matMul(cols, wFirst), [wo, b, ho, c]);
    return tf.transpose(alongW, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}
