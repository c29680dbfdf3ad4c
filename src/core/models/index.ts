// Network construction from a run's config: the MLP for 2D data, the U-Net presets for images.
import type { Config } from '../config';
import { createMlp } from './mlp';
import type { MlpSpec, NetworkDef } from './types';
import { createUnet, unetPresets } from './unet';

export function createNetwork(c: Config, dataShape: number[]): NetworkDef {
  if (c.model === 'mlp') {
    if (dataShape.length !== 1) throw new Error(`the MLP takes flat data; got shape [${dataShape}]`);
    const spec: MlpSpec = { kind: 'mlp', dataShape: [dataShape[0]], width: c.width, depth: c.depth, activation: c.activation, timeFeatures: c.timeFeatures };
    if (c.timeConditioning === 'every-layer') spec.timeConditioning = 'every-layer'; // absent = input only (older files)
    return createMlp(spec, c.cNoiseConvention);
  }
  if (c.cNoiseConvention !== 'jax') throw new Error('the U-Net is built for the JAX c_noise convention (0.25 ln t)');
  return createUnet(c.model === 'unet-tiny' ? unetPresets.tiny : unetPresets.default);
}
