// A setting's tooltip says "Default <value>": the value this page starts from for its dataset and mode, not
// the schema's. On the default CD page it said "Default 256" for Width, which the page sets to 128.
import { describe, expect, it } from 'vitest';
import { defaultConfig, FIELDS, withDatasetDefaults, DEFAULTS, type Config } from '../../../src/core/config';
import { defaultText } from '../../../src/ui/FieldHelp';

const page = (dataset: Config['dataset'], mode: Config['mode']) => ({ dataset, mode });

describe('tooltip default for the page', () => {
  it('the default 2D CD page: width 128 (its own), batch 256', () => {
    const fresh = defaultConfig();
    expect(defaultText(FIELDS.width, page(fresh.dataset, fresh.mode))).toBe(String(fresh.width));
    expect(defaultText(FIELDS.width, page('moons', 'cd'))).toBe('128');
    expect(defaultText(FIELDS.batchSize, page('moons', 'cd'))).toBe('256');
  });

  it('CT on 2D data names its own defaults (N(k), pseudo-Huber, batch 512); digits theirs (lr 2e-4, batch 64)', () => {
    const ct = withDatasetDefaults({ ...DEFAULTS, mode: 'ct' }, new Set());
    expect(defaultText(FIELDS.nSchedule, page('moons', 'ct'))).toBe('CT schedule N(k), mu(k)');
    expect(defaultText(FIELDS.metric, page('moons', 'ct'))).toBe('pseudo-Huber');
    expect(defaultText(FIELDS.batchSize, page('moons', 'ct'))).toBe(String(ct.batchSize));
    expect(defaultText(FIELDS.lr, page('mnist', 'cd'))).toBe('0.0002');
    expect(defaultText(FIELDS.batchSize, page('mnist', 'cd'))).toBe('64');
  });

  it('the dataset and mode themselves keep the page-wide default', () => {
    expect(defaultText(FIELDS.mode, page('moons', 'ct'))).toBe('CD');
    expect(defaultText(FIELDS.dataset, page('mnist', 'cd'))).toBe(defaultText(FIELDS.dataset));
  });
});
