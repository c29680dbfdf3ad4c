// The 2D trajectories view's spread summary says in which units its distances are: the model's, where the
// data are scaled to standard deviation sigma_data per coordinate. The test checks that claim on moons too.
import { describe, expect, it } from 'vitest';
import { presetDataset } from '../../../src/core/data/dataset2d';
import { Rng } from '../../../src/core/rng';
import { spreadNote } from '../../../src/ui/ViewsPanel';

describe('spread summary', () => {
  it('names the units, sigma_data per coordinate, which is how the data are scaled', () => {
    expect(spreadNote(0.5)).toContain('0 means perfectly self-consistent');
    expect(spreadNote(0.5)).toContain('standard deviation sigma_data = 0.5 per coordinate');
    const n = 20000;
    const x = presetDataset('moons', 0.5).sample(n, new Rng(1));
    let variance = 0;
    for (let j = 0; j < 2; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += x[2 * i + j] / n;
      for (let i = 0; i < n; i++) variance += (x[2 * i + j] - m) ** 2 / (2 * n);
    }
    expect(Math.sqrt(variance)).toBeCloseTo(0.5, 1);
  });
});
