// Network construction from a run's config: the MLP for 2D data, the U-Net presets for images.
import type { Config } from '../config';
import { createMlp } from './mlp';
import type { MlpSpec, NetworkDef } from './types';
import { createUnet, unetPresets } from './unet';

/** `timeInputs` 2 builds the two-time network of MeanFlow and shortcut models (see MlpSpec.timeInputs). */
export function createNetwork(c: Config, dataShape: number[], timeInputs: 1 | 2 = 1): NetworkDef {
  if (c.model === 'mlp') {
    if (dataShape.length !== 1) throw new Error(`the MLP takes flat data; got shape [${dataShape}]`);
    const spec: MlpSpec = { kind: 'mlp', dataShape: [dataShape[0]], width: c.width, depth: c.depth, activation: c.activation, timeFeatures: c.timeFeatures };
    if (c.timeConditioning === 'every-layer') spec.timeConditioning = 'every-layer'; // absent = input only (older files)
    if (timeInputs === 2) spec.timeInputs = 2;
    return createMlp(spec, c.cNoiseConvention);
  }
  if (c.cNoiseConvention !== 'jax') throw new Error('the U-Net is built for the JAX c_noise convention (0.25 ln t)');
  const preset = c.model === 'unet-tiny' ? unetPresets.tiny : c.model === 'unet-large' ? unetPresets.large : unetPresets.default;
  return createUnet(timeInputs === 2 ? { ...preset, timeInputs: 2 } : preset);
}
