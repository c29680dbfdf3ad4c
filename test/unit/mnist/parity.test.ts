// TF.js against PyTorch on fixed inputs: test/fixtures/mnist/parity.safetensors holds inputs and the outputs
// of scripts/torch/cmlib.py (regenerate with `python3 scripts/torch/train.py fixture` after retraining).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../src/core/io/safetensors';
import { toFloat32, type HostTensor } from '../../../src/core/io/tensor';
import { loadDigitClassifier } from '../../../src/core/metrics/digitClassifier';
import { createUnet, unetPresets } from '../../../src/core/models/unet';
import { paramsFromTensors, readNetworkWeights } from '../../../src/core/models/weights';
import { relativeError } from '../relativeError';
import { repoFile } from './helpers';

let fixture: Map<string, HostTensor>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  fixture = readSafetensors(repoFile('test/fixtures/mnist/parity.safetensors')).tensors;
});

const input = (name: string) => {
  const t = fixture.get(name)!;
  return tf.tensor(toFloat32(t), t.shape);
};

describe('PyTorch export parity', () => {
  it('tiny U-Net with random parameters gives the PyTorch output to 1e-4', () => {
    const net = createUnet(unetPresets.tiny);
    const params = net.params.map((p) => {
      const t = fixture.get(`tiny.param.${p.name}`)!;
      expect(t.shape, p.name).toEqual(p.shape);
      return tf.tensor(toFloat32(t), t.shape);
    });
    const x = input('input.x');
    const c = input('input.cNoise') as tf.Tensor1D;
    const y = net.forward(params, x, c);
    expect(relativeError(y.dataSync(), toFloat32(fixture.get('tiny.out')!))).toBeLessThan(1e-4);
    tf.dispose([...params, x, c, y]);
  });

  it('three-level tiny U-Net (the large preset\'s layout) with random parameters gives the PyTorch output to 1e-4', () => {
    const net = createUnet({ ...unetPresets.tiny, channels: [4, 8, 16] });
    const params = net.params.map((p) => {
      const t = fixture.get(`tiny3.param.${p.name}`)!;
      expect(t?.shape, p.name).toEqual(p.shape);
      return tf.tensor(toFloat32(t), t.shape);
    });
    expect(fixture.has('tiny3.param.enc2.conv1.w') && fixture.has('tiny3.param.dec1.skip.w')).toBe(true);
    const x = input('input.x');
    const c = input('input.cNoise') as tf.Tensor1D;
    const y = net.forward(params, x, c);
    expect(relativeError(y.dataSync(), toFloat32(fixture.get('tiny3.out')!))).toBeLessThan(1e-4);
    tf.dispose([...params, x, c, y]);
  });

  it('shipped teacher weights give the PyTorch output to 1e-4', () => {
    const w = readNetworkWeights(repoFile('public/pretrained/mnist-teacher.safetensors'));
    expect(w.spec).toEqual(unetPresets.default);
    const net = createUnet(unetPresets.default);
    const params = paramsFromTensors(net.params, w.tensors).map((v, i) => tf.tensor(v, net.params[i].shape));
    const x = input('input.x');
    const c = input('input.cNoise') as tf.Tensor1D;
    const y = net.forward(params, x, c);
    expect(relativeError(y.dataSync(), toFloat32(fixture.get('teacher.out')!))).toBeLessThan(1e-4);
    tf.dispose([...params, x, c, y]);
  });

  it('digit classifier gives the PyTorch features and logits to 1e-4', () => {
    const classifier = loadDigitClassifier(repoFile('public/models/digit-classifier.safetensors'));
    const x = input('input.digits') as tf.Tensor4D;
    const f = classifier.features(x);
    const l = classifier.logits(x);
    expect(relativeError(f.dataSync(), toFloat32(fixture.get('classifier.features')!))).toBeLessThan(1e-4);
    expect(relativeError(l.dataSync(), toFloat32(fixture.get('classifier.logits')!))).toBeLessThan(1e-4);
    tf.dispose([x, f, l]);
    classifier.dispose();
  });

  it('refuses a weight file of another architecture, naming the mismatch', () => {
    const w = readNetworkWeights(repoFile('public/pretrained/mnist-teacher.safetensors'));
    expect(() => paramsFromTensors(createUnet(unetPresets.tiny).params, w.tensors)).toThrow(
      /'time\.fc0\.w' has shape \[32,128\], the network needs \[8,16\]/,
    );
  });
});
