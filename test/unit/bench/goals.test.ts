// The bench's goal ratios: our fastest non-cpu training step (Node, or the page's worker) against PyTorch's
// fastest at the same batch, each at its best thread count; the Node one-thread ratios (against PyTorch on one
// thread) are kept beside them, each ratio says which pair it took, and a reference-BLAS PyTorch is no peer.
import { describe, expect, it } from 'vitest';
import { computeGoals } from '../../bench/lib/goals';
import type { Measurement } from '../../bench/lib/report';

const step = (where: Measurement['where'], backend: string, model: string, medianMs: number, threads?: number, batch = 64): Measurement =>
  ({ what: 'train-step', where, backend, model, mode: 'CT', batch, status: 'ok', medianMs, threads });
const OPENBLAS = { buildBlas: 'open', libblas: '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3' };
const measurements = [
  step('node', 'wasm', 'unet', 1600, 1),
  step('chromium-worker', 'wasm', 'unet', 1700, 1),
  step('chromium-worker', 'wasm', 'unet', 1000, 2),
  step('node', 'cpu', 'unet', 300, 1), // the cpu backend never counts
  step('pytorch', 'torch cpu', 'unet', 500, 1),
  step('pytorch', 'torch cpu', 'unet', 400, 2),
  step('node', 'wasm', 'mlp 4x256', 30, 1, 512),
  step('chromium-worker', 'wasm', 'mlp 4x256', 25, 2, 512),
  step('chromium-worker', 'wasm', 'mlp 4x256', 12, 2, 256), // no PyTorch step at batch 256: not compared
  step('pytorch', 'torch cpu', 'mlp 4x256', 10, 1, 512),
  step('pytorch', 'torch cpu', 'mlp 4x256', 30, 2, 512), // slower on 2 threads: PyTorch's best is 1 thread
];

describe('bench goals: ratios to PyTorch', () => {
  it('compare each side at its best, at the same batch, and say which pair', () => {
    const g = computeGoals(measurements, OPENBLAS, undefined);
    expect(g.unetStepRatioToTorch).toBe(2.5); // 1000 ms (2 threads) vs 400 ms (2 threads)
    expect(g.ratioSources.unet).toBe('chromium-worker wasm, 2 threads vs PyTorch 2');
    expect(g.ctStepRatioToTorch).toBe(2.5); // 25 ms (2 threads) vs 10 ms (1 thread), not vs 30 ms
    expect(g.ratioSources.ct).toBe('chromium-worker wasm, 2 threads vs PyTorch 1');
    expect(g.cdHeunStepRatioToTorch).toBeNull();
  });

  it('keep the Node one-thread ratios against PyTorch on one thread', () => {
    const g = computeGoals(measurements, OPENBLAS, undefined);
    expect(g.unetStepRatioToTorchNode).toBe(3.2); // 1600 vs 500
    expect(g.ctStepRatioToTorchNode).toBe(3);
  });

  it('are null against a reference-BLAS PyTorch', () => {
    const g = computeGoals(measurements, { buildBlas: 'open', libblas: '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3' }, undefined);
    expect([g.unetStepRatioToTorch, g.unetStepRatioToTorchNode, g.ctStepRatioToTorch, g.ratioSources.unet]).toEqual([null, null, null, null]);
  });
});
