// Each U-Net with a shipped teacher gets its own: a CD or ECT run on MNIST with the pretrained teacher loads the
// file PRETRAINED_TEACHERS names for its model (the CLI's loader here; the worker's reads the same table).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs, resolveConfig } from '../../../src/cli/args';
import { loadImageResources } from '../../../src/cli/imageResources';
import { createNetwork } from '../../../src/core/models/index';
import { readNetworkWeights } from '../../../src/core/models/weights';
import { PRETRAINED_TEACHERS, pretrainedTeacherFile, pretrainedTeacherPath } from '../../../src/core/run/pretrained';
import { defaultAssetPath } from '../../../scripts/build-mnist-asset.mjs';

const asset = existsSync(defaultAssetPath) ? undefined : 'missing'; // `npm test` builds it first (pretest)

describe('the pretrained teacher of each model', () => {
  it.skipIf(asset)('loads the unet teacher for unet runs and the large one for unet-large runs, tensor for tensor', () => {
    for (const model of ['unet', 'unet-large']) {
      for (const mode of ['cd', 'ect']) {
        const c = resolveConfig(parseArgs(['train', '--dataset', 'mnist', '--mode', mode, '--model', model]).config);
        expect(c.teacher).toBe('pretrained');
        const loaded = loadImageResources(c, undefined, 16).pretrainedTeacher!;
        const file = readNetworkWeights(new Uint8Array(readFileSync(join('public', PRETRAINED_TEACHERS[model]))));
        const net = createNetwork(c, [28, 28, 1]);
        expect(loaded.length, `${model} ${mode}`).toBe(net.params.length);
        // The first and last tensors, in the network's order, are the file's.
        for (const i of [0, net.params.length - 1]) {
          expect(Array.from(loaded[i].slice(0, 8)), `${model} ${mode} #${i}`).toEqual(Array.from(file.tensors.get(net.params[i].name)!.data.slice(0, 8) as Float32Array));
        }
      }
    }
  });

  it('has no teacher for the tiny test model, and says which models have one', () => {
    expect(pretrainedTeacherFile('unet-tiny')).toBeNull();
    expect(pretrainedTeacherFile('toString')).toBeNull(); // a table lookup, not an object's prototype
    expect(() => pretrainedTeacherPath('unet-tiny')).toThrow('no pretrained teacher was trained as a "unet-tiny" (there are "unet" or "unet-large")');
    expect(pretrainedTeacherPath('unet-large')).toBe('pretrained/mnist-teacher-large.safetensors');
  });
});
