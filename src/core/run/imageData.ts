// MNIST for a session: the training split as a data source, the held-out split as the quality reference,
// the shipped pretrained teachers' bytes, and the classifier-based quality (Frechet distance with its floor and
// ceiling, confidence, label entropy). Platform-neutral: callers pass the bytes (fetched or read).
import * as tf from '@tensorflow/tfjs';
import type { DataSource } from '../data/source';
import { mnistSignedPixels, mnistSplit, parseMnistAsset, sampleIndices, type MnistDigits } from '../data/mnist';
import { loadDigitClassifier, type DigitClassifier } from '../metrics/digitClassifier';
import { digitFeatureStats, digitQuality, type DigitQuality } from '../metrics/digitQuality';
import { frechetFromStats, type FeatureStats } from '../metrics/frechet';
import { readNetworkWeights, paramsFromTensors } from '../models/weights';
import type { NetworkDef } from '../models/types';
import { Rng } from '../rng';

export const MNIST_FILES = {
  asset: 'data/mnist.bin',
  classifier: 'models/digit-classifier.safetensors',
} as const;

export type MnistSource = DataSource & { digits: MnistDigits; train: Int32Array; heldOut: Int32Array };

export function mnistDataSource(digits: MnistDigits): MnistSource {
  const split = mnistSplit(digits.count);
  return {
    digits,
    train: split.train,
    heldOut: split.heldOut,
    dataShape: [digits.rows, digits.cols, 1],
    sample: (n, rng) => mnistSignedPixels(digits, sampleIndices(split.train, n, rng)),
  };
}

export function parseMnist(bytes: Uint8Array) {
  return mnistDataSource(parseMnistAsset(bytes));
}

/** Parameters of a shipped weights file for `net`; a wrong architecture is refused with the mismatch. */
export function pretrainedParams(bytes: Uint8Array, net: NetworkDef, expectRole?: string): Float32Array[] {
  const w = readNetworkWeights(bytes);
  if (expectRole && w.role !== expectRole) throw new Error(`expected a "${expectRole}" weights file, got role "${w.role}"`);
  if (JSON.stringify(w.spec) !== JSON.stringify(net.spec)) {
    throw new Error(`the weights are for a different model (file ${JSON.stringify(w.spec)}, model ${JSON.stringify(net.spec)})`);
  }
  return paramsFromTensors(net.params, w.tensors);
}

export interface ImageQuality {
  fd1: number;
  fd2: number;
  /** Train vs held-out real digits: the best a model can hope for. */
  fdFloor: number;
  /** Gaussian noise images: what no learning looks like. */
  fdCeiling: number;
  confidence1: number;
  confidence2: number;
  labelEntropy1: number;
  labelEntropy2: number;
}

/** The classifier plus the held-out reference statistics, computed once. */
export class DigitEvaluator {
  private reference: FeatureStats | null = null;
  private floor: number | null = null;
  private ceiling: number | null = null;

  constructor(readonly classifier: DigitClassifier, readonly data: MnistSource, readonly count = 500) {}

  static fromBytes(bytes: Uint8Array, data: MnistSource, count = 500): DigitEvaluator {
    return new DigitEvaluator(loadDigitClassifier(bytes), data, count);
  }

  private async stats(pixels: Float32Array, n: number): Promise<FeatureStats> {
    const x = tf.tensor4d(pixels, [n, 28, 28, 1]);
    try {
      return await digitFeatureStats(this.classifier, x);
    } finally {
      x.dispose();
    }
  }

  async references(): Promise<{ reference: FeatureStats; floor: number; ceiling: number }> {
    if (!this.reference) {
      const d = this.data;
      const held = d.heldOut.subarray(0, Math.min(this.count, d.heldOut.length));
      this.reference = await this.stats(mnistSignedPixels(d.digits, held), held.length);
      const trainPick = Int32Array.from({ length: held.length }, (_, i) => d.train[Math.floor((i * d.train.length) / held.length)]);
      this.floor = frechetFromStats(await this.stats(mnistSignedPixels(d.digits, trainPick), held.length), this.reference);
      const noise = new Rng(1, 'fd-ceiling').normals(held.length * 784);
      this.ceiling = frechetFromStats(await this.stats(noise.map((v) => Math.max(-1, Math.min(1, v))), held.length), this.reference);
    }
    return { reference: this.reference, floor: this.floor!, ceiling: this.ceiling! };
  }

  async quality(oneStep: Float32Array, twoStep: Float32Array): Promise<ImageQuality> {
    const { reference, floor, ceiling } = await this.references();
    const judge = async (pixels: Float32Array): Promise<DigitQuality> => {
      const x = tf.tensor4d(pixels, [pixels.length / 784, 28, 28, 1]);
      try {
        return await digitQuality(this.classifier, x, reference);
      } finally {
        x.dispose();
      }
    };
    const [a, b] = [await judge(oneStep), await judge(twoStep)];
    return {
      fd1: a.fd, fd2: b.fd, fdFloor: floor, fdCeiling: ceiling,
      confidence1: a.meanConfidence, confidence2: b.meanConfidence, labelEntropy1: a.labelEntropy, labelEntropy2: b.labelEntropy,
    };
  }
}
