// The project's own small MNIST classifier (trained by scripts/torch/train.py classifier on the training
// split; weights in public/models/digit-classifier.safetensors). Its penultimate layer is the feature space
// of the Frechet distance; its softmax gives the confidence and label-entropy metrics.
//   conv3x3(16) relu -> avgpool 2 -> conv3x3(32) relu -> avgpool 2 -> flatten (NHWC) -> dense(64) relu
//   = features -> dense(10) = logits.
import * as tf from '@tensorflow/tfjs';
import { paramsFromTensors, readNetworkWeights } from '../models/weights';
import type { ParamInfo } from '../models/types';

export interface DigitClassifierSpec {
  kind: 'digit-classifier';
  channels: [number, number];
  hidden: number;
}

export const digitClassifierSpec: DigitClassifierSpec = { kind: 'digit-classifier', channels: [16, 32], hidden: 64 };

export function digitClassifierParams(spec: DigitClassifierSpec): ParamInfo[] {
  const [a, b] = spec.channels;
  return [
    { name: 'conv0.w', shape: [3, 3, 1, a] }, { name: 'conv0.b', shape: [a] },
    { name: 'conv1.w', shape: [3, 3, a, b] }, { name: 'conv1.b', shape: [b] },
    { name: 'fc0.w', shape: [7 * 7 * b, spec.hidden] }, { name: 'fc0.b', shape: [spec.hidden] },
    { name: 'fc1.w', shape: [spec.hidden, 10] }, { name: 'fc1.b', shape: [10] },
  ];
}

export interface DigitClassifier {
  spec: DigitClassifierSpec;
  /** Penultimate features [B, hidden] of images [B, 28, 28, 1] in [-1, 1]. */
  features(x: tf.Tensor4D): tf.Tensor2D;
  /** Class probabilities [B, 10]. */
  predict(x: tf.Tensor4D): tf.Tensor2D;
  logits(x: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

export function createDigitClassifier(spec: DigitClassifierSpec, values: readonly Float32Array[]): DigitClassifier {
  const info = digitClassifierParams(spec);
  const p = info.map(({ shape }, i) => tf.keep(tf.tensor(values[i], shape, 'float32')));
  const features = (x: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      let h = tf.fused.conv2d({ x, filter: p[0] as tf.Tensor4D, strides: 1, pad: 'same', bias: p[1], activation: 'relu' });
      h = tf.avgPool(h, 2, 2, 'valid');
      h = tf.fused.conv2d({ x: h, filter: p[2] as tf.Tensor4D, strides: 1, pad: 'same', bias: p[3], activation: 'relu' });
      h = tf.avgPool(h, 2, 2, 'valid');
      const flat = tf.reshape(h, [x.shape[0], -1]) as tf.Tensor2D;
      return tf.fused.matMul({ a: flat, b: p[4] as tf.Tensor2D, bias: p[5], activation: 'relu' }) as tf.Tensor2D;
    });
  const logits = (x: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => tf.fused.matMul({ a: features(x), b: p[6] as tf.Tensor2D, bias: p[7] }) as tf.Tensor2D);
  return {
    spec,
    features,
    logits,
    predict: (x) => tf.tidy(() => tf.softmax(logits(x))),
    dispose: () => p.forEach((t) => t.dispose()),
  };
}

/** Loads the classifier from its weight file; refuses files of another role or architecture. */
export function loadDigitClassifier(bytes: Uint8Array): DigitClassifier {
  const w = readNetworkWeights(bytes);
  if (w.role !== 'classifier' || w.spec.kind !== 'digit-classifier') {
    throw new Error(`not a digit-classifier weight file (role '${w.role}', kind '${w.spec.kind}')`);
  }
  const spec = w.spec as unknown as DigitClassifierSpec;
  return createDigitClassifier(spec, paramsFromTensors(digitClassifierParams(spec), w.tensors));
}
