// The portable path that WebGL/WebGPU take (plain tfjs ops instead of the host kernels), forced on cpu:
// the same loss and gradient as autodiff, so the fused kernels and their fallbacks agree end to end.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultHuberC } from '../../../src/core/cm/distance';
import { base, compareWithAutodiff } from './fusedMlpCompare';

vi.mock('../../../src/core/models/hostKernel', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/core/models/hostKernel')>()),
  hostBackend: () => false,
  fusedBackend: () => false,
}));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fused MLP step through the plain-op fallbacks', () => {
  it.each([
    ['silu, every layer, device target', { ...base, timeConditioning: 'every-layer' as const }, true, null],
    ['relu, input-only, host target', { ...base, activation: 'relu' as const }, false, null],
    ['pseudo-Huber c auto, silu, host target', base, false, defaultHuberC(2)],
    ['pseudo-Huber c = 0.5, relu, device target', { ...base, activation: 'relu' as const }, true, 0.5],
  ])('matches autodiff (%s) without launching a host kernel', async (_l, spec, onDevice, huberC) => {
    const prof = await tf.profile(() => compareWithAutodiff(spec, onDevice, true, huberC));
    const names = new Set(prof.kernels.map((k) => k.name));
    for (const k of ['MlpParamBlocks', 'MlpActivation', 'ConsistencyOut', 'ConsistencyL2Head', 'ConsistencyHuberHead', 'FlattenParams']) expect(names.has(k)).toBe(false);
  });
});
