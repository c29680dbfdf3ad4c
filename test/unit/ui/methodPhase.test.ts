// The page names ECT's pre-fit and sCM's diffusion pre-training while they last, exactly as the trainers
// switch: the step that follows `step` completed steps is a pre-phase step while step < its length.
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/core/config';
import { ectPrefitSteps } from '../../../src/core/methods/ect';
import { methodPhase } from '../../../src/state/methodPhase';

describe('method phase', () => {
  it('ECT pre-fits on 2D data with the exact teacher only, for as many steps as the trainer', () => {
    const ect = { ...DEFAULTS, mode: 'ect' as const, ectPrefitSteps: 300 };
    expect(ectPrefitSteps(ect, true)).toBe(300);
    expect(methodPhase(ect, 0)).toBe('pre-fit to the exact denoiser (0 / 300)');
    expect(methodPhase(ect, 299)).toBe('pre-fit to the exact denoiser (299 / 300)');
    expect(methodPhase(ect, 300)).toBeNull();
    expect(methodPhase({ ...ect, teacher: 'learned' }, 0)).toBeNull();
    expect(methodPhase({ ...ect, dataset: 'mnist', teacher: 'pretrained' }, 0)).toBeNull();
  });

  it('sCT and sCD name their diffusion pre-training; the other methods have no such phase', () => {
    expect(methodPhase({ ...DEFAULTS, mode: 'sct', scmPretrain: 200 }, 10)).toBe('diffusion pre-training (10 / 200)');
    expect(methodPhase({ ...DEFAULTS, mode: 'scd', scmPretrain: 200 }, 200)).toBeNull();
    for (const mode of ['cd', 'ct', 'meanflow', 'shortcut', 'flow'] as const) expect(methodPhase({ ...DEFAULTS, mode }, 0), mode).toBeNull();
  });
});
