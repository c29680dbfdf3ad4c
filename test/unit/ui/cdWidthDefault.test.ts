// CD's cheaper 2D width (CD_WIDTH_2D) is a mode default like CT's N schedule: a fresh page, a link and the
// CLI get it for CD only, a mode switch carries an untouched width over and back, a chosen width stays.
import { describe, expect, it } from 'vitest';
import { CD_WIDTH_2D, defaultConfig, DEFAULTS, withDatasetDefaults, type Config } from '../../../src/core/config';
import { withCompanions } from '../../../src/state/configRules';

const switchTo = (c: Config, patch: Partial<Config>): Config => withCompanions({ ...c, ...patch } as Config, Object.keys(patch)[0] as keyof Config);

describe('CD 2D width default', () => {
  it('a fresh page trains CD on 2D data at CD_WIDTH_2D; other modes and explicit widths keep theirs', () => {
    expect(CD_WIDTH_2D).not.toBe(DEFAULTS.width);
    expect(defaultConfig().mode).toBe('cd');
    expect(defaultConfig().width).toBe(CD_WIDTH_2D);
    // CT has its own 2D MLP (CT_SETTINGS_2D, ctDefaults2d.test.ts); sCT keeps the global width.
    expect(withDatasetDefaults({ ...DEFAULTS, mode: 'sct' }, new Set()).width).toBe(DEFAULTS.width);
    expect(withDatasetDefaults({ ...DEFAULTS, mode: 'cd', width: 512 }, new Set(['width'])).width).toBe(512);
    expect(withDatasetDefaults({ ...DEFAULTS, dataset: 'mnist' }, new Set()).width).toBe(DEFAULTS.width);
  });

  it('a mode switch carries an untouched width over and back; a chosen one stays', () => {
    const sct = switchTo(defaultConfig(), { mode: 'sct' });
    expect(sct.width).toBe(DEFAULTS.width);
    expect(switchTo(sct, { mode: 'cd' }).width).toBe(CD_WIDTH_2D);
    const chosen = { ...defaultConfig(), width: 64 };
    expect(switchTo(chosen, { mode: 'ct' }).width).toBe(64);
  });

  it('leaving MNIST in CD mode gives CD its 2D width', () => {
    const mnist = switchTo(switchTo(defaultConfig(), { mode: 'ct' }), { dataset: 'mnist' });
    const cdDigits = switchTo(mnist, { mode: 'cd' });
    expect(switchTo(cdDigits, { dataset: 'moons' }).width).toBe(CD_WIDTH_2D);
  });
});
