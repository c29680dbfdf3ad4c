import { describe, expect, it } from 'vitest';
import { parseArgs, resolveConfig } from '../../../src/cli/args';
import { CT_N_SCHEDULE_2D, DEFAULTS, FIELDS, FIELD_LIST, crossFieldErrors, disabledReason, LEGACY_VALUES, optionDisabledReason, parseField, validateConfig, withDatasetDefaults } from '../../../src/core/config';

describe('config schema', () => {
  it('every field has a default, a unique URL key, a label and help text', () => {
    const urls = new Set<string>();
    for (const f of FIELD_LIST) {
      expect(DEFAULTS).toHaveProperty(f.key);
      expect(f.label.length).toBeGreaterThan(0);
      expect(f.help.length).toBeGreaterThan(10);
      expect(urls.has(f.url)).toBe(false);
      urls.add(f.url);
    }
    expect(FIELD_LIST.length).toBe(Object.keys(DEFAULTS).length);
  });

  it('the defaults are valid', () => {
    expect(validateConfig({}).errors).toEqual([]);
    for (const f of FIELD_LIST) expect(parseField(f.key, DEFAULTS[f.key]).ok).toBe(true);
  });

  it('follows the reference constants', () => {
    expect(DEFAULTS.eps).toBe(0.002);
    expect(DEFAULTS.T).toBe(80);
    expect(DEFAULTS.sigmaData).toBe(0.5);
    expect(DEFAULTS.rho).toBe(7);
  });

  it.each([
    ['N', '1', /N: "1" must be an integer >= 2/],
    ['N', '3.5', /must be an integer/],
    ['mu', '1', /mu.*< 1/],
    ['mu', '-0.1', />= 0/],
    ['lr', '0', /> 0/],
    ['batchSize', 'NaN', /must be an integer/],
    ['batchSize', '-4', />= 1/],
    ['dataset', 'cats', /"cats" is not one of/],
    ['taus', '0.5,abc', /"abc" must be a number/],
  ])('rejects %s = %s with a message naming the setting and range', (key, raw, pattern) => {
    const r = parseField(key as keyof typeof FIELDS, raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(pattern);
  });

  it('checks settings that depend on each other', () => {
    expect(crossFieldErrors({ ...DEFAULTS, taus: [100] })).toEqual([expect.stringMatching(/outside \[eps, T\]/)]);
    expect(crossFieldErrors({ ...DEFAULTS, taus: [0.5, 1] })).toEqual([expect.stringMatching(/strictly decreasing/)]);
    expect(crossFieldErrors({ ...DEFAULTS, s0: 10, s1: 5 })).toEqual([expect.stringMatching(/s1 \(5\) must be at least s0 \(10\)/)]);
    expect(crossFieldErrors({ ...DEFAULTS, metric: 'lpips' })).toEqual([expect.stringMatching(/images only/)]);
  });

  it('a rejected value keeps the base value and reports the error', () => {
    const r = validateConfig({ N: '0', width: '32' });
    expect(r.config.N).toBe(DEFAULTS.N);
    expect(r.config.width).toBe(32);
    expect(r.errors).toHaveLength(1);
  });

  it('explains why controls are disabled', () => {
    expect(disabledReason('solver', { ...DEFAULTS, mode: 'ct' })).toMatch(/does not depend on the solver/);
    expect(disabledReason('solver', { ...DEFAULTS, mode: 'cd' })).toBeNull();
    expect(optionDisabledReason('metric', 'lpips', DEFAULTS)).toBe('images only');
    expect(optionDisabledReason('metric', 'lpips', { ...DEFAULTS, dataset: 'mnist', model: 'unet' })).toBeNull();
  });

  it('CT on 2D data defaults to its growing N(k) (CLI and links), unless a schedule is given; CD and digits keep fixed N', () => {
    const cli = (...argv: string[]) => resolveConfig(parseArgs(['train', ...argv]).config);
    expect(cli('--mode', 'ct').nSchedule).toBe(CT_N_SCHEDULE_2D);
    expect(cli('--mode', 'ct', '--n-schedule', 'fixed').nSchedule).toBe('fixed');
    expect(cli('--mode', 'cd').nSchedule).toBe('fixed');
    expect(withDatasetDefaults({ ...DEFAULTS, mode: 'ct', dataset: 'mnist' }, new Set(['mode', 'dataset'])).nSchedule).toBe('fixed');
  });

  it('offers time conditioning of the MLP as a setting (URL key, CLI flag); older saved configs mean input-only', () => {
    expect(FIELDS.timeConditioning.url).toBe('tc');
    expect(parseField('timeConditioning', 'input')).toEqual({ ok: true, value: 'input' });
    expect(parseField('timeConditioning', 'all').ok).toBe(false);
    expect(parseArgs(['train', '--time-conditioning', 'input']).config.timeConditioning).toBe('input');
    expect(disabledReason('timeConditioning', { ...DEFAULTS, dataset: 'mnist', model: 'unet' })).toBe('MLP settings');
    expect(LEGACY_VALUES.timeConditioning).toBe('input');
  });
});
