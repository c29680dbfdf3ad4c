// Sample quality of generated digits, judged by the project's digit classifier: Frechet distance of the
// penultimate features to the held-out real digits, mean top-class confidence, and entropy of the predicted
// label histogram (ln 10 = 2.303 nats when all ten digits are equally frequent; low = missing modes).
import * as tf from '@tensorflow/tfjs';
import type { DigitClassifier } from './digitClassifier';
import { featureStats, frechetFromStats, type FeatureStats } from './frechet';

export interface DigitQuality {
  fd: number;
  meanConfidence: number;
  /** Entropy (nats) of the histogram of argmax labels. */
  labelEntropy: number;
  /** Fraction of samples given each label 0..9. */
  labelHistogram: Float64Array;
}

const CHUNK = 256;

/** Features and probabilities of images [N, 28, 28, 1] in [-1, 1], read in chunks with await data() (WebGPU-safe). */
export async function classifyDigits(
  classifier: DigitClassifier, images: tf.Tensor4D,
): Promise<{ features: Float32Array[]; probs: Float32Array[] }> {
  const features: Float32Array[] = [];
  const probs: Float32Array[] = [];
  const n = images.shape[0];
  for (let start = 0; start < n; start += CHUNK) {
    const size = Math.min(CHUNK, n - start);
    const [f, p] = tf.tidy(() => {
      const x = tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1]);
      return [classifier.features(x), classifier.predict(x)];
    });
    const [fd, pd] = await Promise.all([f.data() as Promise<Float32Array>, p.data() as Promise<Float32Array>]);
    f.dispose();
    p.dispose();
    const fdim = fd.length / size;
    for (let i = 0; i < size; i++) {
      features.push(fd.subarray(i * fdim, (i + 1) * fdim));
      probs.push(pd.subarray(i * 10, (i + 1) * 10));
    }
  }
  return { features, probs };
}

/** Feature statistics of a set of images (e.g. the held-out digits, computed once as the reference). */
export async function digitFeatureStats(classifier: DigitClassifier, images: tf.Tensor4D): Promise<FeatureStats> {
  return featureStats((await classifyDigits(classifier, images)).features);
}

export async function digitQuality(
  classifier: DigitClassifier, samples: tf.Tensor4D, reference: FeatureStats,
): Promise<DigitQuality> {
  const { features, probs } = await classifyDigits(classifier, samples);
  const labelHistogram = new Float64Array(10);
  let confidence = 0;
  for (const p of probs) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (p[k] > p[best]) best = k;
    confidence += p[best];
    labelHistogram[best]++;
  }
  for (let k = 0; k < 10; k++) labelHistogram[k] /= probs.length;
  let labelEntropy = 0;
  for (const h of labelHistogram) if (h > 0 && h < 1) labelEntropy -= h * Math.log(h);
  return { fd: frechetFromStats(featureStats(features), reference), meanConfidence: confidence / probs.length, labelEntropy, labelHistogram };
}
