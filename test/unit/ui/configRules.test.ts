import { describe, expect, it } from 'vitest';
import { crossFieldErrors, DEFAULTS, type Config } from '../../../src/core/config';
import { newConflicts, withCompanions } from '../../../src/state/configRules';

describe('companion settings', () => {
  it('switching to mnist picks a U-Net and a teacher that exists, leaving no conflict', () => {
    const next = withCompanions({ ...DEFAULTS, dataset: 'mnist' }, 'dataset');
    expect(next.model).toBe('unet-tiny');
    expect(next.teacher).toBe('pretrained');
    expect(crossFieldErrors(next)).toEqual([]);
  });

  it('switching back to 2D data restores the MLP and drops LPIPS', () => {
    const image: Config = { ...DEFAULTS, dataset: 'mnist', model: 'unet', metric: 'lpips', teacher: 'pretrained' };
    const next = withCompanions({ ...image, dataset: 'moons' }, 'dataset');
    expect([next.model, next.metric, next.teacher]).toEqual(['mlp', 'l2', 'exact']);
    expect(crossFieldErrors(next)).toEqual([]);
  });

  it('reports only conflicts a change introduces', () => {
    expect(newConflicts(DEFAULTS, { ...DEFAULTS, T: 0.001 })).toContainEqual(expect.stringContaining('larger than eps'));
    expect(newConflicts(DEFAULTS, { ...DEFAULTS, N: 40 })).toEqual([]);
  });
});
