// Old links keep loading the run they were made for. A link holds only the settings that differed from the
// defaults of its day; the fixtures record how each version's page decoded every dataset and mode
// (test/fixtures/links/decodeAll.ts), and decoding today must give the same configs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIELD_LIST, MNIST_TAUS, type Config } from '../../../src/core/config';
import { decodeConfig, encodeConfig, URL_VERSION } from '../../../src/state/urlCodec';

interface Fixture { version: string; base: Record<string, unknown>; cases: Record<string, Record<string, unknown>> }
const fixture = (v: string) => JSON.parse(readFileSync(`test/fixtures/links/v${v}-decoded.json`, 'utf8')) as Fixture;

/** Settings that did not exist when each old version was written, and what their absence meant then. */
const NOT_IN: Record<string, Partial<Config>> = { '1': { lrDecay: 'constant', scmAdaptiveWeight: 'off' }, '2': {}, '3': {} };

/** The link of a fixture case named "dataset/mode[&extra]" at settings version `version`. */
function caseLink(version: string, name: string): string {
  const [d, rest] = name.split('/');
  const [m, extra = ''] = rest.split('&');
  return `v=${version}&d=${d}&m=${m}${extra ? `&${extra}` : ''}`;
}

describe('links of every settings version', () => {
  it.each(['3', '2', '1'])('a version-%s link decodes to the run that version\'s page decoded (every dataset and mode)', (version) => {
    const old = fixture(version);
    expect(Object.keys(old.cases).length).toBeGreaterThanOrEqual(80);
    for (const [name, diff] of Object.entries(old.cases)) {
      expect(decodeConfig(caseLink(version, name)).config, name).toEqual({ ...old.base, ...NOT_IN[version], ...diff });
    }
  });

  it('says which left-out settings it put back, and only where they differ from today\'s', () => {
    const ct = decodeConfig('v=1&m=ct&n=40');
    expect(ct.config).toMatchObject({ N: 40, lr: 5e-3, warmupSteps: 0, lrDecay: 'constant', nSchedule: 'fixed', metric: 'l2', width: 256, depth: 4, batchSize: 256, mu0: 0.5 });
    expect(ct.notices).toEqual([]);
    expect(ct.restored).toMatch(/earlier version of the page \(settings version 1\).*Learning rate.* 0\.005/);
    // sCT read none of what changed (ECT's stages come back unnamed): nothing to say.
    const sct = decodeConfig('v=1&m=sct');
    expect(sct.restored).toBeNull();
    expect(sct.config.ectQ).toBe(2);
    expect(decodeConfig('v=2&m=ct').restored).toBeNull();
    // Version 2 sampled digits at 0.585; today's digits default is MNIST_TAUS.
    const digits = decodeConfig('v=2&d=mnist&m=cd');
    expect(digits.config.taus).toEqual([0.585]);
    expect(digits.restored).toMatch(/settings version 2\).*Multistep taus 0\.585/);
    expect(decodeConfig('v=1&d=mnist&m=ect').config.taus).toEqual([0.585]);
    expect(decodeConfig(`v=${URL_VERSION}&d=mnist&m=cd`).config.taus).toEqual([...MNIST_TAUS]);
    expect(decodeConfig('v=2&d=mnist&ta=2,0.5').config.taus).toEqual([2, 0.5]);
    expect(decodeConfig('v=2&d=moons').restored).toBeNull();
    // Version 3 ran digits on the two-level unet (and its shipped files); today's digits default is unet-large.
    const v3 = decodeConfig('v=3&d=mnist&m=ect');
    expect([v3.config.model, v3.config.teacher]).toEqual(['unet', 'pretrained']);
    expect(v3.restored).toMatch(/settings version 3\).*Model unet/);
    expect(decodeConfig('v=3&d=mnist&md=unet-large').config.model).toBe('unet-large');
    expect(decodeConfig('v=3&d=moons').restored).toBeNull();
    // What the link set stays as it was.
    expect(decodeConfig('v=1&m=cd&mw=64&lr=0.02').config).toMatchObject({ width: 64, lr: 0.02, warmupSteps: 0 });
  });

  it('a migrated link, written again, is a current link for the same run', () => {
    for (const q of ['v=1', 'v=1&m=ct', 'v=1&m=ect&d=eight-gaussians', 'v=1&d=mnist&m=ect', 'v=2&d=mnist', 'v=2&d=mnist&m=ect&ta=1', 'v=3&d=mnist&m=ct']) {
      const old = decodeConfig(q).config;
      const again = encodeConfig(old);
      expect(again.startsWith(`v=${URL_VERSION}`) || again === '', q).toBe(true);
      const now = decodeConfig(again);
      expect(now.config, q).toEqual(old);
      expect(now.notices, q).toEqual([]);
      expect(now.restored, q).toBeNull();
    }
  });

  it(`version ${URL_VERSION} still means what its fixture says: changing a default a link leaves out needs a new version`, () => {
    const current = fixture(URL_VERSION);
    expect(current.version).toBe(URL_VERSION);
    for (const [name, diff] of Object.entries(current.cases)) {
      const got = decodeConfig(caseLink(URL_VERSION, name)).config;
      // On failure: bump LINK_VERSION in src/state/linkVersions.ts, put the old values back there, and write the
      // new fixture with test/fixtures/links/decodeAll.ts. A new setting needs its meaning for old links too.
      expect(got, `${name}: the defaults of link version ${URL_VERSION} changed`).toEqual({ ...current.base, ...diff });
    }
    expect(Object.keys(current.base).sort()).toEqual(FIELD_LIST.map((f) => f.key).sort());
  });
});
