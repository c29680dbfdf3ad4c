import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUnet, unetPresets, validateUnetSpec } from '../../../src/core/models/unet';
import { Rng } from '../../../src/core/rng';
import { DEFAULTS, withDatasetDefaults } from '../../../src/core/config';
import { createNetwork } from '../../../src/core/models/index';
import { readNetworkWeights } from '../../../src/core/models/weights';
import { PRETRAINED_MODEL, PRETRAINED_STUDENTS, PRETRAINED_TEACHERS } from '../../../src/core/run/pretrained';
import { repoFile } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

describe('U-Net', () => {
  it('has a few thousand parameters (tiny), about 261k (default) and 939k (large)', () => {
    const count = (net: ReturnType<typeof createUnet>) => net.params.reduce((s, p) => s + numel(p.shape), 0);
    expect(count(createUnet(unetPresets.tiny))).toBe(4393);
    expect(count(createUnet(unetPresets.default))).toBe(261313);
    expect(count(createUnet(unetPresets.large))).toBe(939009); // scripts/torch/cmlib.py's count for its 'large'
  });

  it('names two-level blocks as before and adds enc2 / dec1 for three levels, in the PyTorch order', () => {
    const blockNames = (spec: typeof unetPresets.default | typeof unetPresets.large) =>
      [...new Set(createUnet(spec).params.map((p) => p.name.split('.')[0]))];
    expect(blockNames(unetPresets.default)).toEqual(['time', 'stem', 'enc0', 'enc1', 'mid', 'dec0', 'out']);
    expect(blockNames(unetPresets.large)).toEqual(['time', 'stem', 'enc0', 'enc1', 'enc2', 'mid', 'dec1', 'dec0', 'out']);
    const shape = (name: string) => createUnet(unetPresets.large).params.find((p) => p.name === name)!.shape;
    expect(shape('mid.conv1.w')).toEqual([3, 3, 128, 128]); // mid runs at 7x7, 128 wide
    expect(shape('dec1.conv1.w')).toEqual([3, 3, 128 + 64, 64]); // upsampled mid ++ enc1's output
    expect(shape('dec0.conv1.w')).toEqual([3, 3, 64 + 32, 32]);
  });

  it('maps [B, 28, 28, 1] to [B, 28, 28, 1] for tiny, default and large, finite, without leaking tensors', () => {
    for (const spec of [unetPresets.tiny, unetPresets.default, unetPresets.large]) {
      const net = createUnet(spec);
      const params = net.init(new Rng(1, 'init')).map((v, i) => tf.tensor(v, net.params[i].shape));
      const before = tf.memory().numTensors;
      const y = tf.tidy(() => net.forward(params, tf.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 1), tf.tensor1d([-1.5, 0, 1.1])));
      expect(y.shape).toEqual([3, 28, 28, 1]);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
      y.dispose();
      // only the kept frequency table may stay (created on the first call)
      expect(tf.memory().numTensors - before).toBeLessThanOrEqual(1);
      params.forEach((p) => p.dispose());
    }
  });

  it.each([['tiny', [4, 8]], ['three-level tiny', [4, 8, 16]]])('sends a non-zero finite gradient to every parameter of the %s model', (_, channels) => {
    const net = createUnet({ ...unetPresets.tiny, channels });
    const vars = net.init(new Rng(2, 'init')).map((v, i) => tf.variable(tf.tensor(v, net.params[i].shape)));
    const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 3);
    const target = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 4);
    const { grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(net.forward(vars, x, tf.tensor1d([-0.8, 0.6])), target))) as tf.Scalar, vars);
    const names = Object.keys(grads);
    expect(names.length).toBe(net.params.length);
    net.params.forEach((p, i) => {
      const g = Array.from(grads[vars[i].name].dataSync());
      const norm = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
      expect(Number.isFinite(norm), p.name).toBe(true);
      expect(norm, p.name).toBeGreaterThan(0);
    });
    tf.dispose([...vars, x, target, ...Object.values(grads)]);
  });

  it('refuses specs whose group count does not divide the widths', () => {
    expect(() => validateUnetSpec({ ...unetPresets.tiny, groups: 3 })).toThrow(/groups 3 do not divide/);
    expect(() => validateUnetSpec({ kind: 'unet', dataShape: [28, 28, 1] })).toThrow(/channels/);
    expect(() => validateUnetSpec({ ...unetPresets.tiny, channels: [4, 8, 16, 32] })).toThrow(/channels: \[c0, c1\] or \[c0, c1, c2\]/);
    expect(() => validateUnetSpec({ ...unetPresets.tiny, groups: 4, channels: [4, 8, 10] })).toThrow(/groups 4 do not divide width 10/); // the 7x7 level
    expect(() => validateUnetSpec({ ...unetPresets.tiny, dataShape: [30, 30, 1], channels: [4, 8, 16] })).toThrow(/divisible by 4, got 30x30/);
    expect(() => validateUnetSpec({ ...unetPresets.tiny, dataShape: [30, 30, 1] })).not.toThrow(); // two levels: 15x15 is fine
  });

  it('builds every shipped MNIST file\'s architecture from the model it is listed for; the CD model\'s is the digits\' default', () => {
    const digits = withDatasetDefaults({ ...DEFAULTS, dataset: 'mnist' }, new Set(['dataset']));
    expect(digits.model).toBe(PRETRAINED_MODEL);
    expect(PRETRAINED_MODEL).toBe(PRETRAINED_STUDENTS.cd[0].model);
    const specOf = (model: string) => createNetwork({ ...digits, model: model as typeof digits.model }, [28, 28, 1]).spec;
    for (const [role, students] of Object.entries(PRETRAINED_STUDENTS)) {
      expect(new Set(students.map((s) => s.model)).size, role).toBe(students.length); // one file per model
      for (const { file, model } of students) {
        const w = readNetworkWeights(repoFile(`public/${file}`));
        expect([w.role, w.spec], file).toEqual([role, specOf(model)]);
      }
    }
    expect(Object.keys(PRETRAINED_TEACHERS)).toEqual(['unet', 'unet-large']);
    for (const [model, file] of Object.entries(PRETRAINED_TEACHERS)) {
      const w = readNetworkWeights(repoFile(`public/${file}`));
      expect([w.role, w.spec], model).toEqual(['teacher', specOf(model)]);
    }
  });
});
