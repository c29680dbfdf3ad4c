import * as tf from '@tensorflow/tfjs';

/** tf.grad for a function of one NHWC image batch (tf.grad's typing wants a plain Tensor). */
export const gradWrt = (f: (y: tf.Tensor4D) => tf.Tensor) => tf.grad((t: tf.Tensor) => f(t as tf.Tensor4D));
