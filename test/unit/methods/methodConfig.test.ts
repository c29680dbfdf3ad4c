// The method axis in the one schema: every mode and its own settings parse, travel through the URL and
// the CLI's field parser, disable what does not apply with a reason, and modes not built yet are refused
// with a clear message.
import { describe, expect, it } from 'vitest';
import { fieldNote } from '../../../src/core/methods/settings/notes';
import { DEFAULTS, disabledReason, ECT_LR_2D, FIELDS, validateConfig, withDatasetDefaults, type Config } from '../../../src/core/config';
import { METHOD_IDS, METHOD_INFO } from '../../../src/core/methods/settings/index';
import { methodFor } from '../../../src/core/methods/registry';
import { withCompanions } from '../../../src/state/configRules';
import { decodeConfig, encodeConfig } from '../../../src/state/urlCodec';

describe('the mode setting', () => {
  it('offers all eight methods, each with its target formula and paper in the tooltip', () => {
    const f = FIELDS.mode;
    expect(f.kind).toBe('enum');
    if (f.kind !== 'enum') return;
    expect(f.options.map((o) => o.value)).toEqual(['cd', 'ct', 'ect', 'scd', 'sct', 'meanflow', 'shortcut', 'flow']);
    for (const o of f.options) {
      expect(o.formula, o.value).toBeTruthy();
      expect(o.paper, o.value).toBeTruthy();
    }
  });

  it('every available mode has a registered method; the others are refused with "not available yet"', () => {
    for (const id of METHOD_IDS) {
      const { errors } = validateConfig({ mode: id });
      if (METHOD_INFO[id].available) {
        expect(errors, id).toEqual([]);
        expect(methodFor(id), id).not.toBeNull();
      } else {
        expect(errors.join(' ')).toMatch(/is not available yet/);
      }
    }
  });

  it('method settings round-trip through the URL', () => {
    const c: Config = { ...DEFAULTS, mode: 'shortcut', shortcutM: 64, shortcutBootstrap: 0.125, ectQ: 4, flowTimeSampling: 'logit-normal' };
    const back = decodeConfig(encodeConfig(c));
    expect(back.config).toMatchObject({ mode: 'shortcut', shortcutM: 64, shortcutBootstrap: 0.125, ectQ: 4, flowTimeSampling: 'logit-normal' });
  });

  it('bad method settings are rejected with the setting named', () => {
    expect(validateConfig({ mode: 'shortcut', shortcutM: 100 }).errors.join(' ')).toMatch(/Shortcut M \(100\) must be a power of two/);
    expect(validateConfig({ ectQ: 1 }).errors.join(' ')).toMatch(/ECT q/);
    expect(validateConfig({ mode: 'ect', dataset: 'mnist', model: 'unet', teacher: 'exact' }).errors.join(' ')).toMatch(/no exact teacher/);
  });
});

describe('controls that do not apply are disabled with a reason', () => {
  it('a method\'s own settings only for that method', () => {
    expect(disabledReason('ectQ', DEFAULTS)).toBe('only for ECT');
    expect(disabledReason('ectQ', { ...DEFAULTS, mode: 'ect' })).toBeNull();
    expect(disabledReason('shortcutM', { ...DEFAULTS, mode: 'flow' })).toBe('only for Shortcut');
  });

  it('CD/CT discretisation settings are off for the other methods; the teacher only where one is used', () => {
    const ect = { ...DEFAULTS, mode: 'ect' as const };
    expect(disabledReason('N', ect)).toMatch(/only for CD and CT/);
    expect(disabledReason('mu', { ...DEFAULTS, mode: 'flow' })).toMatch(/only for CD and CT/);
    expect(disabledReason('teacher', ect)).toBeNull();
    expect(disabledReason('teacher', { ...DEFAULTS, mode: 'shortcut' })).toMatch(/without a teacher/);
    expect(disabledReason('Pm', ect)).toBeNull(); // ECT draws t = exp(P_mean + P_std xi)
    expect(disabledReason('taus', { ...DEFAULTS, mode: 'flow' })).toBeNull(); // its length sets the flow methods' step counts
    expect(fieldNote('taus', { ...DEFAULTS, mode: 'flow', taus: [2, 0.5] })).toMatch(/1, 2, 4 uniform steps/);
    expect(fieldNote('taus', DEFAULTS)).toBeNull();
    expect(disabledReason('N', DEFAULTS)).toBeNull(); // CD as before
  });

  it('names a tau between the fixed grid\'s times for CD and fixed-N CT on 2D data, not elsewhere', () => {
    // The N = 18 grid (consistency-models.md golden): ... 0.296442, 0.585348, 1.088171 ...
    const note = fieldNote('taus', { ...DEFAULTS, taus: [0.7] });
    expect(note).toContain('τ = 0.7 lies between the grid times 0.585 and 1.09 (N = 18)');
    expect(note).toContain('nearest: 0.585'); // nearest on the log scale the grid is spaced on
    expect(fieldNote('taus', { ...DEFAULTS, taus: [0.8] })).toContain('nearest: 1.09');
    expect(fieldNote('taus', { ...DEFAULTS, taus: [1.0882, 0.4] })).toContain('τ = 0.4 lies between the grid times 0.296 and 0.585');
    expect(fieldNote('taus', { ...DEFAULTS, taus: [1.088171, 0.296442] })).toBeNull(); // both on the grid
    expect(fieldNote('taus', { ...DEFAULTS, N: 40, taus: [1.382] })).toBeNull(); // the paper's ImageNet-64 tau is on N = 40's grid
    expect(fieldNote('taus', { ...DEFAULTS, N: 40 })).toContain('(N = 40)'); // 0.585 is not
    expect(fieldNote('taus', { ...DEFAULTS, mode: 'ct', nSchedule: 'fixed', taus: [0.8] })).toContain('CT trains f only at grid times');
    expect(fieldNote('taus', { ...DEFAULTS, mode: 'ct', nSchedule: 'ct-adaptive', taus: [0.8] })).toBeNull(); // the grid moves
    expect(fieldNote('taus', { ...DEFAULTS, mode: 'ect', taus: [0.8] })).toBeNull(); // continuous time
    expect(fieldNote('taus', { ...DEFAULTS, dataset: 'mnist', taus: [1.7] })).toBeNull(); // the U-Net is smooth in tau
  });
});

describe('ECT learning rate companion (2D)', () => {
  it('switching to ECT with the default rate picks ECT\'s, and back', () => {
    const toEct = withCompanions({ ...DEFAULTS, mode: 'ect' }, 'mode');
    expect(toEct.lr).toBe(ECT_LR_2D);
    expect(withCompanions({ ...toEct, mode: 'cd' }, 'mode').lr).toBe(DEFAULTS.lr);
    expect(withCompanions({ ...DEFAULTS, mode: 'ect', lr: 0.02 }, 'mode').lr).toBe(0.02); // a chosen rate stays
  });

  it('the CLI and links get it too unless --lr is given', () => {
    expect(withDatasetDefaults({ ...DEFAULTS, mode: 'ect' }, new Set(['mode'])).lr).toBe(ECT_LR_2D);
    expect(withDatasetDefaults({ ...DEFAULTS, mode: 'ect', lr: 0.002 }, new Set(['mode', 'lr'])).lr).toBe(0.002);
  });
});
