// CT's own 2D settings (CT_SETTINGS_2D: pseudo-Huber, mu0, a 4x128 MLP at batch 512) are mode defaults like
// its N schedule: the CLI, links and a mode switch give them to CT on 2D data only, and a chosen value stays.
import { describe, expect, it } from 'vitest';
import { CD_WIDTH_2D, CT_N_SCHEDULE_2D, CT_SETTINGS_2D, defaultConfig, DEFAULTS, withDatasetDefaults, type Config } from '../../../src/core/config';
import { withCompanions } from '../../../src/state/configRules';
import { decodeConfig, encodeConfig, URL_VERSION } from '../../../src/state/urlCodec';

const switchTo = (c: Config, patch: Partial<Config>): Config => withCompanions({ ...c, ...patch } as Config, Object.keys(patch)[0] as keyof Config);
const pick = (c: Config) => ({ metric: c.metric, mu0: c.mu0, width: c.width, depth: c.depth, batchSize: c.batchSize });
/** CT's 2D network: its own width and batch, the global depth. */
const CT_2D = { depth: DEFAULTS.depth, ...CT_SETTINGS_2D };
const CD_2D = { metric: DEFAULTS.metric, mu0: DEFAULTS.mu0, width: CD_WIDTH_2D, depth: DEFAULTS.depth, batchSize: DEFAULTS.batchSize };

describe('CT 2D defaults', () => {
  it('differ from the global defaults in every key they set', () => {
    for (const [k, v] of Object.entries(CT_SETTINGS_2D)) expect(v).not.toEqual(DEFAULTS[k as keyof Config]);
  });

  it('CT on 2D data gets them unless the user set a value; digits and other modes do not', () => {
    expect(pick(withDatasetDefaults({ ...DEFAULTS, mode: 'ct' }, new Set(['mode'])))).toEqual(CT_2D);
    const chosen = withDatasetDefaults({ ...DEFAULTS, mode: 'ct', metric: 'l1', depth: 6 }, new Set(['mode', 'metric', 'depth']));
    expect([chosen.metric, chosen.depth, chosen.width]).toEqual(['l1', 6, CT_2D.width]);
    const digits = withDatasetDefaults({ ...DEFAULTS, mode: 'ct', dataset: 'mnist' }, new Set(['mode', 'dataset']));
    expect([digits.metric, digits.mu0, digits.nSchedule]).toEqual([DEFAULTS.metric, DEFAULTS.mu0, 'fixed']);
    expect(pick(withDatasetDefaults({ ...DEFAULTS, mode: 'sct' }, new Set(['mode'])))).toEqual({ ...CD_2D, width: DEFAULTS.width });
  });

  it('a mode switch carries untouched values over and back; chosen ones stay', () => {
    const ct = switchTo(defaultConfig(), { mode: 'ct' });
    expect(pick(ct)).toEqual(CT_2D);
    expect(ct.nSchedule).toBe(CT_N_SCHEDULE_2D);
    expect(pick(switchTo(ct, { mode: 'cd' }))).toEqual(CD_2D);
    expect(pick(switchTo(ct, { mode: 'sct' }))).toEqual({ ...CD_2D, width: DEFAULTS.width });
    const chosen = switchTo({ ...defaultConfig(), metric: 'l1', batchSize: 100 }, { mode: 'ct' });
    expect([chosen.metric, chosen.batchSize, chosen.depth]).toEqual(['l1', 100, CT_2D.depth]);
  });

  it('digits put back the global metric and N schedule, and CT gets its own again on 2D data', () => {
    const digits = switchTo(switchTo(defaultConfig(), { mode: 'ct' }), { dataset: 'mnist' });
    expect([digits.metric, digits.nSchedule, digits.mu0, digits.batchSize]).toEqual([DEFAULTS.metric, 'fixed', DEFAULTS.mu0, 64]);
    const back = switchTo(digits, { dataset: 'moons' });
    expect(pick(back)).toEqual(CT_2D);
    expect(back.nSchedule).toBe(CT_N_SCHEDULE_2D);
  });

  it('links leave them out and derive them from the mode; a CT link at other values carries them', () => {
    const ct = switchTo(defaultConfig(), { mode: 'ct' });
    expect(encodeConfig(ct)).toBe(`v=${URL_VERSION}&m=ct`);
    expect(pick(decodeConfig(`?v=${URL_VERSION}&m=ct`).config)).toEqual(CT_2D);
    const wide = { ...ct, width: DEFAULTS.width, depth: DEFAULTS.depth, metric: 'l2' as const };
    expect(pick(decodeConfig(`?${encodeConfig(wide)}`).config)).toEqual(pick(wide));
  });
});
