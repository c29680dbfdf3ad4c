// Files dropped on the LPIPS panel, as the worker receives them (LpipsWorkerState.addFiles): mutated
// weight files are either taken or refused with the reason, and never throw or replace what was loaded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticWeightFiles } from '../../../src/core/lpips/index';
import { LpipsWorkerState } from '../../../src/worker/lpips';
import { readFixture } from '../lpips/sharedData';
import { InputCounter, budget, mutatedFrom } from './fuzzKit';

const synthetic = syntheticWeightFiles('squeeze');
const SEEDS = [synthetic.lin, readFixture('tiny.legacy.pth'), readFixture('tiny.zip.pth')];

describe('LPIPS file drops, fuzzed', () => {
  it('a mutated lin/torch file is taken or refused with "<name>: <reason>", and the loaded backbone stays', async () => {
    const counter = new InputCounter('lpips: mutated dropped files');
    const state = new LpipsWorkerState({ post: () => undefined });
    await state.addFiles('squeeze', [{ name: 'backbone.safetensors', bytes: synthetic.backbone }]);
    let refused = 0;
    await fc.assert(fc.asyncProperty(mutatedFrom(SEEDS), async (bytes) => {
      counter.tick();
      const s = await state.addFiles('squeeze', [{ name: 'dropped.bin', bytes }]);
      expect(s.loaded).toContain('backbone');
      if (s.problems.length) {
        refused++;
        expect(s.problems).toHaveLength(1);
        expect(s.problems[0]).toMatch(/^dropped\.bin: .{10,}/s);
      } else {
        expect(s.files.some((f) => f.name === 'dropped.bin')).toBe(true);
      }
    }), budget(400, 3000));
    counter.report();
    expect(refused).toBeGreaterThan(counter.count / 2);
  });
});
