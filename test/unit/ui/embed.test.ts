// Embedded figures: which names are valid for which data, the message for the others, the settings line
// and the page parameter that survives the address-bar sync.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { withPageParams } from '../../../src/state/pageParams';
import { decodeConfig } from '../../../src/state/urlCodec';
import { EMBED_VIEWS_2D, EMBED_VIEWS_IMAGE, embedParam, resolveEmbed } from '../../../src/ui/embed/embedNames';
import { runSummary } from '../../../src/ui/embed/runSummary';

describe('embed view names', () => {
  it('accepts every 2D view on 2D data and every digit view on MNIST (case and spaces forgiven)', () => {
    for (const name of EMBED_VIEWS_2D) expect(resolveEmbed(name, 'moons')).toEqual({ ok: true, name });
    for (const name of EMBED_VIEWS_IMAGE) expect(resolveEmbed(name, 'mnist')).toEqual({ ok: true, name });
    expect(resolveEmbed(' Samples ', 'spiral')).toEqual({ ok: true, name: 'samples' });
  });

  it('names every valid view when the name is unknown or empty', () => {
    for (const raw of ['sample', '', '<script>']) {
      const r = resolveEmbed(raw, 'moons');
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      for (const name of [...EMBED_VIEWS_2D, ...EMBED_VIEWS_IMAGE]) expect(r.message).toContain(name);
    }
  });

  it('says what was wrong with the name', () => {
    expect(resolveEmbed('', 'moons')).toMatchObject({ ok: false, message: expect.stringMatching(/^The embed parameter names no view\./) });
    expect(resolveEmbed('sample', 'moons')).toMatchObject({ ok: false, message: expect.stringMatching(/^There is no view called "sample"\./) });
  });

  it('says when a view belongs to the other kind of data', () => {
    const onMnist = resolveEmbed('schedule', 'mnist');
    expect(onMnist.ok).toBe(false);
    if (!onMnist.ok) expect(onMnist.message).toMatch(/2D data.*Views for MNIST: digits/);
    const flowMap = resolveEmbed('flowmap', 'mnist');
    expect(flowMap.ok).toBe(false);
    if (!flowMap.ok) expect(flowMap.message).toMatch(/exact PF-ODE map.*2D mixtures.*MNIST is not a known mixture/);
    const on2d = resolveEmbed('digits', 'moons');
    expect(on2d.ok).toBe(false);
    if (!on2d.ok) expect(on2d.message).toContain('add d=mnist');
  });

  it('reads the parameter, and a settings link with embed= is not reported as unknown', () => {
    expect(embedParam('?embed=loss&m=ct')).toBe('loss');
    expect(embedParam('m=ct')).toBeNull();
    const decoded = decodeConfig('?m=ct&embed=loss', ['embed']);
    expect(decoded.notices).toEqual([]);
    expect(decoded.config.mode).toBe('ct');
  });

  it('keeps the embed parameter when the settings are written back to the address bar', () => {
    expect(withPageParams('http://x/?v=2&m=ct', '?m=cd&embed=samples')).toBe('http://x/?v=2&m=ct&embed=samples');
    expect(withPageParams('http://x/', '?embed=quality')).toBe('http://x/?embed=quality');
    expect(withPageParams('http://x/?v=2&m=ct', '?m=ct')).toBe('http://x/?v=2&m=ct');
  });
});

describe('run summary line', () => {
  it('shows the method, data, target and optimiser settings', () => {
    expect(runSummary(DEFAULTS)).toBe('CD · moons · exact teacher, Heun · l2 · N = 18 · mu = 0.9 · mlp 4x256 · batch 256 · lr 0.01 · seed 1 · 2000 steps');
  });

  it('leaves out the teacher for CT and names a curriculum instead of a fixed N', () => {
    const ct: Config = { ...DEFAULTS, mode: 'ct', nSchedule: 'ct-adaptive' };
    const line = runSummary(ct);
    expect(line).toMatch(/^CT · moons · l2 · CT schedule N\(k\), mu\(k\)/);
    expect(line).not.toContain('teacher');
  });

  it('shows no N, mu or metric for the other methods, but their changed settings and teacher', () => {
    expect(runSummary({ ...DEFAULTS, mode: 'meanflow' })).toBe('MeanFlow · moons · mlp 4x256 · batch 256 · lr 0.01 · seed 1 · 2000 steps');
    expect(runSummary({ ...DEFAULTS, mode: 'meanflow', mfPower: 1, jvpRoute: 'exact' })).toContain('MeanFlow weight power p = 1 · JVP route = exact (double VJP)');
    expect(runSummary({ ...DEFAULTS, mode: 'scd', teacher: 'learned' })).toMatch(/^sCD · moons · learned teacher · mlp/);
    for (const mode of ['ect', 'sct', 'shortcut', 'flow'] as const) expect(runSummary({ ...DEFAULTS, mode })).not.toMatch(/N = |mu = |l2/);
  });
});
