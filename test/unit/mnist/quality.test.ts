// Quality of real and generated digits as judged by the project's classifier. Inference only, so this file
// runs on tfjs's WASM backend: its conv2d is about 35x faster than the pure-JS cpu backend in Node, and WASM
// lacks only conv gradients, which nothing here needs.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consistencyFunction } from '../../../src/core/cm/consistencyFunction';
import { mnistSplit, mnistTensor } from '../../../src/core/data/mnist';
import { loadDigitClassifier, type DigitClassifier } from '../../../src/core/metrics/digitClassifier';
import { digitFeatureStats, digitQuality } from '../../../src/core/metrics/digitQuality';
import { frechetFromStats, type FeatureStats } from '../../../src/core/metrics/frechet';
import { createUnet, unetPresets } from '../../../src/core/models/unet';
import { paramsFromTensors, readNetworkWeights } from '../../../src/core/models/weights';
import { Rng } from '../../../src/core/rng';
import { mnistDigits, repoFile } from './helpers';

const scalings = { eps: 0.002, sigmaData: 0.5, cNoiseConvention: 'jax' as const };
const T = 80;
// Bounds with margin around the values measured here (100 samples, seed 11; scripts/torch/README.md):
// floor 6.4, ceiling 3742; CD confidence 0.751, label entropy 2.04, FD 293; CT 0.678, 1.27, 970.
// Confidence alone is weak evidence (this classifier gives 0.71 to a collapsed untrained model's blobs),
// so every check pairs it with the label entropy and the Frechet distance.
const FLOOR_MAX = 20;
const CEILING_MIN = 2000;
const BOUNDS = {
  cd: { minConfidence: 0.65, minEntropy: 1.8, maxFd: 450 },
  ct: { minConfidence: 0.55, minEntropy: 1.0, maxFd: 1500 },
};

let classifier: DigitClassifier;
let heldOut: FeatureStats;

beforeAll(async () => {
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise');
  classifier = loadDigitClassifier(repoFile('public/models/digit-classifier.safetensors'));
  const d = mnistDigits();
  const x = mnistTensor(d, mnistSplit(d.count).heldOut);
  heldOut = await digitFeatureStats(classifier, x);
  x.dispose();
});

afterAll(() => classifier?.dispose());

describe('digit classifier metrics', () => {
  it('Frechet distance is small for train vs held-out digits and large for noise', async () => {
    const d = mnistDigits();
    // every 9th training digit: the asset is sorted by class, so a prefix would hold only 0s and 1s
    const train = mnistTensor(d, mnistSplit(d.count).train.filter((_, i) => i % 9 === 0));
    const noise = tf.clipByValue(tf.tensor4d(new Rng(3, 'sample').normals(1000 * 784), [1000, 28, 28, 1]), -1, 1);
    const floor = frechetFromStats(await digitFeatureStats(classifier, train), heldOut);
    const ceiling = frechetFromStats(await digitFeatureStats(classifier, noise), heldOut);
    tf.dispose([train, noise]);
    expect(floor).toBeLessThan(FLOOR_MAX);
    expect(ceiling).toBeGreaterThan(CEILING_MIN);
  });

  it('recognises held-out real digits with high confidence and nearly uniform labels', async () => {
    const d = mnistDigits();
    const x = mnistTensor(d, mnistSplit(d.count).heldOut);
    const q = await digitQuality(classifier, x, heldOut);
    x.dispose();
    expect(q.fd).toBeCloseTo(0, 6); // same images as the reference
    expect(q.meanConfidence).toBeGreaterThan(0.95);
    expect(q.labelEntropy).toBeGreaterThan(2.25); // ln 10 = 2.303
  });
});

describe('shipped pretrained consistency models', () => {
  const titles = {
    cd: 'CD one-step samples f(T z, T) are digits the classifier recognises, covering most classes',
    // the shipped CT had only 417 CPU steps from scratch: its samples are scribbles, far from noise but not digits
    ct: 'CT one-step samples f(T z, T) sit far nearer to real digits than noise does',
  };
  for (const role of ['cd', 'ct'] as const) {
    it(titles[role], async () => {
      const w = readNetworkWeights(repoFile(`public/pretrained/mnist-${role}.safetensors`));
      expect(w.role).toBe(role);
      const net = createUnet(unetPresets.default);
      const params = paramsFromTensors(net.params, w.tensors).map((v, i) => tf.tensor(v, net.params[i].shape));
      const n = 100;
      const samples = tf.tidy(() => {
        const xT = tf.tensor4d(new Rng(11, 'sample').normals(n * 784, T), [n, 28, 28, 1]);
        return tf.clipByValue(consistencyFunction(net, params, xT, new Float64Array(n).fill(T), scalings), -1, 1) as tf.Tensor4D;
      });
      const q = await digitQuality(classifier, samples, heldOut);
      tf.dispose([samples, ...params]);
      expect(q.meanConfidence).toBeGreaterThan(BOUNDS[role].minConfidence);
      expect(q.labelEntropy).toBeGreaterThan(BOUNDS[role].minEntropy);
      expect(q.fd).toBeLessThan(BOUNDS[role].maxFd);
    });
  }
});

it('keeps the boundary condition f(x, eps) = x exactly for image tensors', () => {
  const net = createUnet(unetPresets.tiny);
  const params = net.init(new Rng(4, 'init')).map((v, i) => tf.tensor(v, net.params[i].shape));
  const x = tf.tensor4d(new Rng(4, 'sample').normals(2 * 784), [2, 28, 28, 1]);
  const f = consistencyFunction(net, params, x, new Float64Array(2).fill(scalings.eps), scalings);
  expect(Array.from(f.dataSync())).toEqual(Array.from(x.dataSync()));
  tf.dispose([x, f, ...params]);
});
