// LPIPS weights holding NaN or Inf are refused with the reason (they used to be taken, and every LPIPS
// distance, so every training loss, came out NaN). Found by test/unit/fuzz/lpipsDrop.fuzz.test.ts.
import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../../src/core/io/safetensors';
import { syntheticWeightFiles } from '../../../src/core/lpips/index';
import { LpipsWorkerState } from '../../../src/worker/lpips';

const synthetic = syntheticWeightFiles('squeeze');

function withNaN(bytes: Uint8Array): Uint8Array {
  const f = readSafetensors(bytes);
  const tensors = new Map([...f.tensors].map(([k, t]) => [k, { shape: t.shape, data: Float32Array.from(t.data as Float32Array) }]));
  const first = tensors.values().next().value!;
  first.data[0] = Number.NaN;
  first.data[1] = Infinity;
  return writeSafetensors(tensors);
}

describe('LPIPS weights with non-finite values', () => {
  it('lin layers with NaN/Inf are refused, naming the count', async () => {
    const state = new LpipsWorkerState({ post: () => undefined });
    const s = await state.addFiles('squeeze', [{ name: 'lin.safetensors', bytes: withNaN(synthetic.lin) }]);
    expect(s.problems[0]).toMatch(/^lin\.safetensors: the lin layers hold 2 non-finite values \(NaN or Inf\)/);
    expect(s.loaded).toEqual([]);
  });

  it('a backbone with NaN/Inf is refused, naming the net', async () => {
    const state = new LpipsWorkerState({ post: () => undefined });
    const s = await state.addFiles('squeeze', [{ name: 'b.safetensors', bytes: withNaN(synthetic.backbone) }]);
    expect(s.problems[0]).toMatch(/^b\.safetensors: the squeeze backbone holds 2 non-finite values/);
    expect(s.loaded).toEqual([]);
  });
});
