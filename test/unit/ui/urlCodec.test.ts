import { describe, expect, it } from 'vitest';
import { CD_WIDTH_2D, CT_N_SCHEDULE_2D, defaultConfig, DEFAULTS, FIELD_LIST, MNIST_TAUS, MODE_DEFAULTS_2D, type Config } from '../../../src/core/config';
import { decodeConfig, encodeConfig, URL_VERSION } from '../../../src/state/urlCodec';

const withChanges = (patch: Partial<Config>): Config => ({ ...DEFAULTS, taus: [...DEFAULTS.taus], ...patch });
/** CT on 2D data with its own defaults (N(k), metric, mu0, MLP and batch), as a link with m=ct decodes. */
const ct2d = (patch: Partial<Config> = {}): Config => withChanges({ mode: 'ct', ...MODE_DEFAULTS_2D.ct, ...patch });

describe('URL codec', () => {
  it('encodes nothing for the defaults, so a plain link stays plain', () => {
    expect(encodeConfig(defaultConfig())).toBe('');
  });

  it('derives CD\'s 2D width from the mode: written only when it is not the mode\'s own', () => {
    expect(decodeConfig(`?v=${URL_VERSION}`).config.width).toBe(CD_WIDTH_2D);
    expect(decodeConfig(`?v=${URL_VERSION}&m=sct`).config.width).toBe(DEFAULTS.width);
    const wide = withChanges({ width: DEFAULTS.width });
    expect(encodeConfig(wide)).toBe(`v=${URL_VERSION}&mw=${DEFAULTS.width}`);
    expect(decodeConfig(`?${encodeConfig(wide)}`).config).toEqual(wide);
    expect(encodeConfig(ct2d())).toBe(`v=${URL_VERSION}&m=ct`);
  });

  it('encodes only the non-default settings, under their url keys, after the version', () => {
    // CT's own N schedule and other 2D defaults (MODE_DEFAULTS_2D.ct) follow from m=ct, so they are not written either.
    const q = encodeConfig(ct2d({ nSchedule: CT_N_SCHEDULE_2D, width: 16, taus: [2, 0.5] }));
    expect(q).toBe(`v=${URL_VERSION}&m=ct&mw=16&ta=2%2C0.5`);
    const keys = [...new URLSearchParams(q).keys()];
    expect(keys).toEqual(['v', 'm', 'mw', 'ta']);
  });

  it('writes a setting at its global default when the mode would pick another one (CT with fixed N; ECT at the CD lr)', () => {
    expect(decodeConfig(`?v=${URL_VERSION}&m=ct`).config.nSchedule).toBe(CT_N_SCHEDULE_2D);
    const fixed = ct2d({ nSchedule: 'fixed' });
    expect(encodeConfig(fixed)).toBe(`v=${URL_VERSION}&m=ct&ns=fixed`);
    expect(decodeConfig(`?${encodeConfig(fixed)}`).config).toEqual(fixed);
    const ect = withChanges({ mode: 'ect', lr: DEFAULTS.lr });
    expect(decodeConfig(`?${encodeConfig(ect)}`).config).toEqual(ect);
  });

  it('round-trips every kind of setting', () => {
    const config = withChanges({
      mode: 'ct', solver: 'euler', metric: 'pseudo-huber', N: 40, lr: 3e-4, adamEps: 1e-10, taus: [5, 1.382, 0.2],
      dataset: 'spiral', seed: 1234567, nSchedule: 'ct-adaptive', mu0: 0.95, backend: 'wasm', sigmaData: 0.75,
    });
    const decoded = decodeConfig(`?${encodeConfig(config)}`);
    expect(decoded.notices).toEqual([]);
    expect(decoded.config).toEqual(config);
  });

  it('uses a distinct url key for every field', () => {
    const keys = FIELD_LIST.map((f) => f.url);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).not.toContain('v');
  });

  it('falls back to the default for an invalid value and names the parameter in a notice', () => {
    const d = decodeConfig(`v=${URL_VERSION}&m=ct&n=1&lr=abc`);
    expect(d.config.mode).toBe('ct');
    expect(d.config.N).toBe(DEFAULTS.N);
    expect(d.config.lr).toBe(DEFAULTS.lr);
    expect(d.rejected.sort()).toEqual(['N', 'lr']);
    expect(d.notices).toHaveLength(2);
    expect(d.notices[0]).toContain('"n" (N)');
    expect(d.notices[1]).toContain('"lr" (Learning rate)');
  });

  it('rejects an enum value that is not an option', () => {
    const d = decodeConfig(`v=${URL_VERSION}&so=rk4`);
    expect(d.config.solver).toBe(DEFAULTS.solver);
    expect(d.notices[0]).toMatch(/ODE solver/);
  });

  it('reports unknown parameters without changing anything', () => {
    const d = decodeConfig(`v=${URL_VERSION}&zz=3`);
    expect(d.config).toEqual(defaultConfig());
    expect(d.notices[0]).toContain('"zz"');
  });

  it('resolves a cross-field conflict by reverting only the linked setting that causes it', () => {
    // T below eps: the T from the link conflicts with the default eps and is dropped; mode survives.
    const d = decodeConfig(`v=${URL_VERSION}&m=ct&t=0.001`);
    expect(d.config.T).toBe(DEFAULTS.T);
    expect(d.config.mode).toBe('ct');
    expect(d.rejected).toEqual(['T']);
    expect(d.notices[0]).toMatch(/"t" \(T\).*larger than eps/);
  });

  it('keeps a consistent image configuration that is valid only as a whole', () => {
    const d = decodeConfig(`v=${URL_VERSION}&d=mnist&md=unet-tiny&te=learned`);
    expect(d.notices).toEqual([]);
    expect(d.config.dataset).toBe('mnist');
    expect(d.config.model).toBe('unet-tiny');
    expect(d.config.teacher).toBe('learned');
    // the shipped teachers are full U-Nets: with the tiny model the link's teacher is refused with a notice
    const bad = decodeConfig(`v=${URL_VERSION}&d=mnist&md=unet-tiny&te=pretrained`);
    expect(bad.notices.join(' ')).toMatch(/pretrained teachers are "unet" or "unet-large"/);
    // the large U-Net has a pretrained teacher of its own
    const large = decodeConfig(`v=${URL_VERSION}&d=mnist&md=unet-large&te=pretrained`);
    expect(large.notices).toEqual([]);
    expect([large.config.model, large.config.teacher]).toEqual(['unet-large', 'pretrained']);
  });

  it('leaves the digits\' own taus out of a link and writes the 2D ones on digits in', () => {
    const digits = decodeConfig('d=mnist').config;
    expect(digits.taus).toEqual([...MNIST_TAUS]);
    expect(encodeConfig(digits)).not.toContain('ta=');
    const paper = { ...digits, taus: [0.585] };
    expect(new URLSearchParams(encodeConfig(paper)).get('ta')).toBe('0.585');
    expect(decodeConfig(encodeConfig(paper)).config).toEqual(paper);
  });

  it('ignores a link of an unknown version entirely and says so', () => {
    const d = decodeConfig('v=99&m=ct&n=40');
    expect(d.config).toEqual(defaultConfig());
    expect(d.notices).toHaveLength(1);
    expect(d.notices[0]).toContain('version "99"');
  });

  it('reads a link without a version key as the current version', () => {
    expect(decodeConfig('m=ct').config.mode).toBe('ct');
  });

  it('passes caller-owned extra parameters through untouched', () => {
    const d = decodeConfig(`v=${URL_VERSION}&_p=64&m=ct`, ['_p']);
    expect(d.extra).toEqual({ _p: '64' });
    expect(d.notices).toEqual([]);
    expect(encodeConfig(d.config, d.extra)).toBe(`v=${URL_VERSION}&m=ct&_p=64`);
  });

  it('reads "-0" as 0, so the link it re-encodes to decodes to the same settings (found by fuzzing)', () => {
    const d = decodeConfig(`v=${URL_VERSION}&ee=-0`);
    expect(d.notices).toEqual([]);
    expect(Object.is(d.config.evalEma, 0)).toBe(true);
    expect(decodeConfig(`?${encodeConfig(d.config)}`).config).toEqual(d.config);
  });
});
