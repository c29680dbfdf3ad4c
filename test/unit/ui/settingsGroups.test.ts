// The settings panel follows the selected method: its own settings open and first, CD and CT's
// discretisation closed for the others, every setting listed once, and what does not apply disabled.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, disabledReason, FIELD_LIST } from '../../../src/core/config';
import { METHOD_IDS, METHOD_INFO } from '../../../src/core/methods/settings/index';
import { settingsGroups } from '../../../src/ui/settingsGroups';

const group = (mode: Parameters<typeof settingsGroups>[0], name: string) => settingsGroups(mode).find((g) => g.group === name)!;

describe('settings sections per method', () => {
  it('open the method\'s own settings first and close N and mu for methods that have none', () => {
    const mf = group('meanflow', 'method');
    expect(mf.title).toBe('MeanFlow settings, then the other methods\' (disabled)');
    expect(mf.keys.length).toBeGreaterThan(METHOD_INFO.meanflow.own.length); // the others follow, disabled
    expect(mf.open).toBe(true);
    expect(mf.keys.slice(0, METHOD_INFO.meanflow.own.length)).toEqual([...METHOD_INFO.meanflow.own]);
    expect(group('meanflow', 'schedule')).toMatchObject({ open: false, title: 'Discretisation N and target EMA mu (CD and CT only)' });
    expect(group('meanflow', 'teacher').title).toBe('Teacher (CD, ECT, sCD)');
    expect(group('ect', 'teacher').title).toBe('Teacher (ECT)');
  });

  it('keep CD and CT as they were: N and mu open, other methods\' settings closed', () => {
    for (const mode of ['cd', 'ct'] as const) {
      expect(group(mode, 'schedule')).toMatchObject({ open: true, title: 'Discretisation N and target EMA mu' });
      expect(group(mode, 'method').open).toBe(false);
    }
  });

  it('list every setting once for every method, and disable what the method does not use, with a reason', () => {
    for (const mode of METHOD_IDS) {
      const keys = settingsGroups(mode).flatMap((g) => g.keys);
      expect(new Set(keys).size, mode).toBe(keys.length);
      expect(keys.length, mode).toBe(FIELD_LIST.length - 4); // dataset, point smoothing, step budget, backend sit elsewhere
      const c = { ...DEFAULTS, mode };
      for (const key of group(mode, 'method').keys) {
        expect(disabledReason(key, c) === null, `${mode} ${key}`).toBe(METHOD_INFO[mode].own.includes(key));
      }
      if (mode !== 'cd' && mode !== 'ct') for (const key of group(mode, 'schedule').keys) expect(disabledReason(key, c), `${mode} ${key}`).toMatch(/only for CD and CT/);
    }
  });

  it('disable sigma_data for sCT and sCD, which fix sigma_d = 0.5, and leave it for the others', () => {
    expect(disabledReason('sigmaData', { ...DEFAULTS, mode: 'sct' })).toMatch(/sigma_d = 0.5/);
    expect(disabledReason('sigmaData', { ...DEFAULTS, mode: 'scd' })).toMatch(/sigma_d = 0.5/);
    expect(disabledReason('sigmaData', { ...DEFAULTS, mode: 'ect' })).toBeNull();
  });
});
