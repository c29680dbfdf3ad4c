// Quality of real and generated digits as judged by the project's classifier. Inference only, so this file
// runs on tfjs's WASM backend: its conv2d is about 35x faster than the pure-JS cpu backend in Node, and WASM
// lacks only conv gradients, which nothing here needs.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consistencyFunction } from '../../../src/core/cm/consistencyFunction';
import { DEFAULTS, MNIST_TAUS, type Config } from '../../../src/core/config';
import { mnistSplit, mnistTensor } from '../../../src/core/data/mnist';
import { loadDigitClassifier, type DigitClassifier } from '../../../src/core/metrics/digitClassifier';
import { classifyDigits, digitFeatureStats, digitQuality, type DigitQuality } from '../../../src/core/metrics/digitQuality';
import { frechetFromStats, type FeatureStats } from '../../../src/core/metrics/frechet';
import { ectMethod } from '../../../src/core/methods/ect';
import type { MethodContext } from '../../../src/core/methods/types';
import { createNetwork } from '../../../src/core/models/index';
import type { NetworkDef } from '../../../src/core/models/types';
import { createUnet, unetPresets } from '../../../src/core/models/unet';
import { paramsFromTensors, readNetworkWeights } from '../../../src/core/models/weights';
import { PRETRAINED_STUDENTS, type PretrainedRole, type PretrainedStudent } from '../../../src/core/run/pretrained';
import { Rng } from '../../../src/core/rng';
import { mnistDigits, repoFile } from './helpers';

const scalings = { eps: 0.002, sigmaData: 0.5, cNoiseConvention: 'jax' as const };
const T = 80;
const SAMPLES = 100;
const LN10 = Math.log(10);
// ECT's one- and two-step samples are compared with each other too: at 100 samples the FD's own sample-size bias
// hides what the second step does for a good model (the large ECT file: 102 against 90; 52 against 31 on 1,000).
const ECT_SAMPLES = 300;

// Sample quality is judged between a floor and a ceiling measured here with the same classifier: the floor is
// real digits (training digits against the held-out ones: FD 6.4; the held-out label entropy 2.300 of ln 10 =
// 2.303), the ceilings are clipped Gaussian noise (FD 3,742, entropy 0) and the one-step samples of an
// UNTRAINED U-Net (collapsed blobs: FD 2,412, entropy 0). The classifier's confidence is not used on samples:
// it cannot fail usefully (noise scores 0.9995, the blobs 0.72, the shipped CD model 0.75).
// Measured with 100 samples, seed 11 (scripts/torch/README.md), for the models shipped before session 3: CD FD 293,
// entropy 2.04; CT FD 970, entropy 1.27. (Session 15's CD model, 50,172 steps against the 15,106-, 19,106-,
// 29,255- and 36,745-step teachers, scores FD 98 with 1,000 samples in PyTorch, better than the bound needs; session 18's
// unet-large CD file 56, its ECT file 52 one-step and 31 two-step: each file is checked against the same bounds.) Session 6's ECT model (page sampler, tau = 0.821):
// FD 243 one-step, 176 two-step (tau 0.821; the test now samples at the digits' tau, MNIST_TAUS).
// Bounds: where the FD sits between floor and blob ceiling (0 = real digits, 1 = blobs), and the label entropy
// as a fraction of the real digits' (0 = one class only).
const BOUNDS = {
  cd: { maxFdPosition: 0.2, minEntropyFraction: 0.8 }, // measured 0.12 and 0.89 before session 3; the session 9 model 0.070 and 0.95
  ct: { maxFdPosition: 0.5, minEntropyFraction: 0.45 }, // measured 0.40 and 0.55
  // ECT (14,154 steps from the 29,255-step teacher; PyTorch, 1,000 samples: FD 141 one-step, 82 two-step at tau 1.7): one step, two steps
  ect: [{ maxFdPosition: 0.14, minEntropyFraction: 0.85 }, { maxFdPosition: 0.11, minEntropyFraction: 0.82 }], // session 6's model measured 0.098 / 0.93 and 0.070 / 0.91 (tau 0.821); session 9's 0.079 / 0.97 and 0.062 / 0.94 at 0.821, 0.052 / 0.97 at 1.7; session 15's 0.079 / 0.95 and 0.056 / 0.95 at 1.7
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

/** A shipped model's network (the Model it was trained as) and its weights. */
function shipped(role: PretrainedRole, { file, model }: PretrainedStudent): { net: NetworkDef; weights: Float32Array[] } {
  const w = readNetworkWeights(repoFile(`public/${file}`));
  expect(w.role).toBe(role);
  const net = createNetwork({ ...DEFAULTS, dataset: 'mnist', model }, [28, 28, 1]);
  return { net, weights: paramsFromTensors(net.params, w.tensors) };
}

/** One-step samples f(T z, T) of a U-Net (default: the two-level one) with these weights, clipped to the image range. */
async function oneStepQuality(weights: Float32Array[], net: NetworkDef = createUnet(unetPresets.default)): Promise<DigitQuality> {
  const params = weights.map((v, i) => tf.tensor(v, net.params[i].shape));
  const samples = tf.tidy(() => {
    const xT = tf.tensor4d(new Rng(11, 'sample').normals(SAMPLES * 784, T), [SAMPLES, 28, 28, 1]);
    return tf.clipByValue(consistencyFunction(net, params, xT, new Float64Array(SAMPLES).fill(T), scalings), -1, 1) as tf.Tensor4D;
  });
  const q = await digitQuality(classifier, samples, heldOut);
  tf.dispose([samples, ...params]);
  return q;
}

/**
 * ECT's one-step f(T z, T) and two-step f(x + tau z', tau) samples of the shipped ECT model, drawn by the page's own
 * ECT sampler (its f is unshifted: f(x, 0) = x), clipped to the image range.
 */
async function ectQuality(student: PretrainedStudent, tau: number, count: number): Promise<DigitQuality[]> {
  const { net, weights } = shipped('ect', student);
  const params = weights.map((v, i) => tf.tensor(v, net.params[i].shape));
  const config: Config = { ...DEFAULTS, dataset: 'mnist', model: student.model, mode: 'ect', teacher: 'pretrained', taus: [tau] };
  // sample() reads only the config, the network and the data shape
  const ctx = { config, net, dataShape: [28, 28, 1], data: null, teacher: null, exact: null } as unknown as MethodContext;
  const rng = new Rng(11, 'sample');
  const noise = { initial: rng.normals(count * 784), perStep: [rng.normals(count * 784)] };
  const out = ectMethod.sample(ctx, params, noise);
  const qs: DigitQuality[] = [];
  for (const x of out) {
    const clipped = tf.clipByValue(x, -1, 1) as tf.Tensor4D;
    qs.push(await digitQuality(classifier, clipped, heldOut));
    tf.dispose([x, clipped]);
  }
  tf.dispose(params);
  return qs;
}

interface Levels { floorFd: number; realEntropy: number; noise: DigitQuality; blobs: DigitQuality }
let levels: Promise<Levels> | null = null;
/** The floor and the ceilings, measured once for the file. */
function referenceLevels(): Promise<Levels> {
  levels ??= (async () => {
    const d = mnistDigits();
    const split = mnistSplit(d.count);
    // every 9th training digit: the asset is sorted by class, so a prefix would hold only 0s and 1s
    const train = mnistTensor(d, split.train.filter((_, i) => i % 9 === 0));
    const real = mnistTensor(d, split.heldOut);
    const noise = tf.clipByValue(tf.tensor4d(new Rng(3, 'sample').normals(1000 * 784), [1000, 28, 28, 1]), -1, 1) as tf.Tensor4D;
    const floorFd = frechetFromStats(await digitFeatureStats(classifier, train), heldOut);
    const realEntropy = (await digitQuality(classifier, real, heldOut)).labelEntropy;
    const noiseQ = await digitQuality(classifier, noise, heldOut);
    tf.dispose([train, real, noise]);
    const blobs = await oneStepQuality(createUnet(unetPresets.default).init(new Rng(5, 'init')));
    return { floorFd, realEntropy, noise: noiseQ, blobs };
  })();
  return levels;
}

describe('digit classifier', () => {
  it('classifies the held-out digits (every 10th of the asset) with 98% accuracy or better, and each class with 90%', async () => {
    const d = mnistDigits();
    const heldOutIdx = mnistSplit(d.count).heldOut;
    expect(heldOutIdx.length).toBe(1000);
    expect(heldOutIdx.every((i) => i % 10 === 9)).toBe(true);
    const x = mnistTensor(d, heldOutIdx);
    const { probs } = await classifyDigits(classifier, x);
    x.dispose();
    const right = new Array(10).fill(0);
    const total = new Array(10).fill(0);
    probs.forEach((p, i) => {
      let best = 0;
      for (let k = 1; k < 10; k++) if (p[k] > p[best]) best = k;
      const label = d.labels[heldOutIdx[i]];
      total[label]++;
      if (best === label) right[label]++;
    });
    const accuracy = right.reduce((a, v) => a + v, 0) / probs.length;
    expect(accuracy).toBeGreaterThanOrEqual(0.98); // measured 0.983, as scripts/torch/README.md reports
    for (let k = 0; k < 10; k++) expect(right[k] / total[k]).toBeGreaterThanOrEqual(0.9); // weakest: 8s, 0.926
  });

  it('the floor and ceilings of FD and label entropy are far apart', async () => {
    const L = await referenceLevels();
    expect(L.floorFd).toBeLessThan(20); // real vs real: 6.4
    expect(L.noise.fd).toBeGreaterThan(3000); // 3,742
    expect(L.blobs.fd).toBeGreaterThan(1500); // 2,412
    expect(L.realEntropy).toBeGreaterThan(2.25); // ln 10 = 2.303 for uniform labels
    expect(L.realEntropy).toBeLessThanOrEqual(LN10 + 1e-9);
    expect(L.noise.labelEntropy).toBeLessThan(0.5); // every noise image gets the same label
    expect(L.blobs.labelEntropy).toBeLessThan(0.5);
    // So the sample checks below can fail usefully: noise and blobs fail both of them, even the looser CT ones
    // (a minimum confidence passed both: 0.9995 and 0.72).
    for (const bad of [L.noise, L.blobs]) {
      expect((bad.fd - L.floorFd) / (L.blobs.fd - L.floorFd)).toBeGreaterThan(BOUNDS.ct.maxFdPosition);
      expect(bad.labelEntropy).toBeLessThan(BOUNDS.ct.minEntropyFraction * L.realEntropy);
      expect(bad.meanConfidence).toBeGreaterThan(0.7);
    }
  });

  it('real held-out digits score FD 0 against themselves', async () => {
    const d = mnistDigits();
    const x = mnistTensor(d, mnistSplit(d.count).heldOut);
    const q = await digitQuality(classifier, x, heldOut);
    x.dispose();
    expect(q.fd).toBeCloseTo(0, 6); // same images as the reference
  });
});

describe('shipped pretrained consistency models', () => {
  const titles = {
    cd: 'CD one-step samples f(T z, T): FD near the real-digit floor and labels covering most classes',
    // the shipped CT had only 417 CPU steps from scratch: its samples are scribbles, far from blobs but not digits
    ct: 'CT one-step samples f(T z, T): FD well below the untrained model\'s, labels spread over several classes',
  };
  for (const role of ['cd', 'ct'] as const) for (const student of PRETRAINED_STUDENTS[role]) {
    it(`${titles[role]} (${student.model})`, async () => {
      const L = await referenceLevels();
      const { net, weights } = shipped(role, student);
      const q = await oneStepQuality(weights, net);
      const fdPosition = (q.fd - L.floorFd) / (L.blobs.fd - L.floorFd);
      expect(q.fd).toBeGreaterThan(L.floorFd);
      expect(fdPosition).toBeLessThan(BOUNDS[role].maxFdPosition);
      expect(q.labelEntropy).toBeGreaterThan(BOUNDS[role].minEntropyFraction * L.realEntropy);
      expect(q.labelEntropy).toBeLessThanOrEqual(LN10 + 1e-9);
    });
  }

  for (const student of PRETRAINED_STUDENTS.ect) it(`ECT one- and two-step samples (the page's ECT sampler at the digits' tau): FD near the floor, labels covering most classes (${student.model})`, async () => {
    const L = await referenceLevels();
    const qs = await ectQuality(student, MNIST_TAUS[0], ECT_SAMPLES);
    const positions = qs.map((q) => (q.fd - L.floorFd) / (L.blobs.fd - L.floorFd));
    qs.forEach((q, i) => {
      expect(q.fd).toBeGreaterThan(L.floorFd);
      expect(positions[i]).toBeLessThan(BOUNDS.ect[i].maxFdPosition);
      expect(q.labelEntropy).toBeGreaterThan(BOUNDS.ect[i].minEntropyFraction * L.realEntropy);
      expect(q.labelEntropy).toBeLessThanOrEqual(LN10 + 1e-9);
    });
    // The second step helps: measured on 300 samples 59 against 37 (unet-large), 143 against 83 (unet); on 100
    // samples the unet file's 141 against 196 at the digits' tau 1.7 (session 9's model 131 / 197, and 155 at ECT's
    // own 0.821; session 6's model 176 < 243 at 0.821).
    expect(qs[1].fd).toBeLessThan(0.8 * qs[0].fd);
  });
});

it('keeps the boundary condition f(x, eps) = x exactly for image tensors', () => {
  const net = createUnet(unetPresets.tiny);
  const params = net.init(new Rng(4, 'init')).map((v, i) => tf.tensor(v, net.params[i].shape));
  const x = tf.tensor4d(new Rng(4, 'sample').normals(2 * 784), [2, 28, 28, 1]);
  const f = consistencyFunction(net, params, x, new Float64Array(2).fill(scalings.eps), scalings);
  expect(Array.from(f.dataSync())).toEqual(Array.from(x.dataSync()));
  tf.dispose([x, f, ...params]);
});
