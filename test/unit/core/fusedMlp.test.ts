// The tape-free MLP step (models/fusedMlp.ts + cm/fusedStep.ts) has exactly the loss and gradient of the
// plain path: mlp.ts's forward, the target through applyNet, and tfjs autodiff through the l2 loss (or the
// pseudo-Huber distance).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultHuberC } from '../../../src/core/cm/distance';
import { ParamLayout } from '../../../src/core/models/flatLayout';
import { fusedMlpPlan } from '../../../src/core/models/fusedMlp';
import { createMlp } from '../../../src/core/models/mlp';
import type { MlpSpec } from '../../../src/core/models/types';
import { base, compareWithAutodiff } from './fusedMlpCompare';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(['cpu', 'wasm'])('fused MLP loss and gradient on %s', (backend) => {
  it.each([
    ['silu, time in every layer, separate target', { ...base, timeConditioning: 'every-layer' }, false, true],
    ['silu, input-only time, target = online weights', base, false, false],
    ['relu, every layer, target on the device (CD)', { ...base, activation: 'relu', timeConditioning: 'every-layer' }, true, true],
    ['silu, depth 1, target on the device', { ...base, depth: 1 }, true, true],
  ] as const)('%s', async (_label, spec, onDevice, ownTarget) => {
    expect(await tf.setBackend(backend)).toBe(true);
    await compareWithAutodiff(spec as MlpSpec, onDevice, ownTarget);
  });

  // The pseudo-Huber head on the same step: iCT's c for 2D, and a c of the residuals' size.
  it.each([
    ['pseudo-Huber c auto, silu, every layer, separate target', { ...base, timeConditioning: 'every-layer' }, false, true, defaultHuberC(2)],
    ['pseudo-Huber c = 0.5, relu, target on the device (CD)', { ...base, activation: 'relu' }, true, true, 0.5],
    ['pseudo-Huber c auto, silu, target = online weights', base, false, false, defaultHuberC(2)],
  ] as const)('%s', async (_label, spec, onDevice, ownTarget, c) => {
    expect(await tf.setBackend(backend)).toBe(true);
    await compareWithAutodiff(spec as MlpSpec, onDevice, ownTarget, c);
  });

  // Wide enough for the own matrix product (hostMatMul.ts: K >= 64, N a multiple of 8) on wasm.
  it('silu, every layer, width 64, batch 96 (the own matrix product on wasm)', async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    const kernels = await compareWithAutodiff({ ...base, width: 64, depth: 3, timeConditioning: 'every-layer' }, false, true, null, 96);
    // Hidden-to-hidden products of the online and target forwards (2 + 2), 3 weight gradients (not the output
    // layer's: N = 2), 2 input gradients (not through the output layer: K = 2). The first layer's K is 11.
    expect(kernels.filter((k) => k === 'MlpGemm').length).toBe(backend === 'wasm' ? 9 : 0);
  });

  it('is not used for activations it does not cover', () => {
    const net = createMlp({ ...base, activation: 'gelu' });
    expect(fusedMlpPlan(net, new ParamLayout(net.params))).toBeNull();
  });
});
