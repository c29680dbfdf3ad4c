import { describe, expect, it } from 'vitest';
import { DEFAULTS, MNIST_TAUS, withDatasetDefaults, type Config } from '../../../src/core/config';
import { decodeCompare, encodeCompare } from '../../../src/state/compare/compareUrl';
import { describeDiff, PRESETS, presetById, resolveRun } from '../../../src/state/compare/presets';

const base: Config = { ...DEFAULTS, taus: [...DEFAULTS.taus], dataset: 'eight-gaussians', seed: 42, width: 32 };

describe('compare presets', () => {
  it('every 2D preset gives valid runs on the page\'s data and seed that differ only where the ablation says', () => {
    for (const p of PRESETS.filter((x) => !x.imagesOnly)) {
      const configs = p.runs.map((r) => resolveRun(base, r));
      for (const c of configs) {
        expect(c.errors, p.id).toEqual([]);
        expect(c.config!.dataset).toBe('eight-gaussians');
        expect(c.config!.seed).toBe(42);
        expect(c.config!.width).toBe(32);
      }
    }
    const [euler, heun] = presetById('solver')!.runs.map((r) => resolveRun(base, r).config!);
    expect([euler.solver, heun.solver]).toEqual(['euler', 'heun']);
    expect(describeDiff(euler, heun)).toBe('ODE solver = Heun'); // option labels, as the controls show them
    const [fixed, adaptive] = presetById('schedule')!.runs.map((r) => resolveRun(base, r).config!);
    expect([fixed.mode, fixed.nSchedule, adaptive.nSchedule]).toEqual(['ct', 'fixed', 'ct-adaptive']);
    const [mu0, mu95] = presetById('mu')!.runs.map((r) => resolveRun(base, r).config!);
    expect([mu0.mu, mu95.mu]).toEqual([0, 0.95]);
  });

  it('LPIPS is refused on 2D data and accepted on digits', () => {
    const lpips = presetById('lpips')!.runs[0];
    expect(resolveRun(base, lpips).config).toBeNull();
    expect(resolveRun(base, lpips).errors.join(' ')).toMatch(/LPIPS is for images only/);
    const digits = resolveRun({ ...DEFAULTS, dataset: 'mnist', model: 'unet', teacher: 'pretrained', batchSize: 64, lr: 2e-4 }, lpips);
    expect(digits.errors).toEqual([]);
    expect(digits.config!.metric).toBe('lpips');
  });

  it('a bad custom change names the setting and builds nothing', () => {
    const r = resolveRun(base, { patch: 'mu=1.5', sampler: 'one' });
    expect(r.config).toBeNull();
    expect(r.errors.join(' ')).toMatch(/Target EMA mu/);
    expect(resolveRun(base, { patch: 'zz=1', sampler: 'one' }).errors.join(' ')).toMatch(/Unknown link parameter "zz"/);
  });

  it('refuses a change the run\'s method does not read, with the reason (two runs would be the same)', () => {
    const meanflow = { ...base, mode: 'meanflow' as const };
    for (const id of ['metric', 'mu']) {
      const r = resolveRun(meanflow, presetById(id)!.runs[0]);
      expect(r.config, id).toBeNull();
      expect(r.errors.join(' '), id).toMatch(/only for CD and CT.*would not change this MeanFlow run/);
    }
    const ctSolver = resolveRun(base, { patch: 'm=ct&so=euler', sampler: 'one' });
    expect(ctSolver.errors.join(' ')).toMatch(/ODE solver: CT's target does not depend on the solver/);
    // Presets that name the method, and changes the method reads, still work on a MeanFlow page.
    expect(resolveRun(meanflow, presetById('mode')!.runs[0]).errors).toEqual([]);
    expect(resolveRun(meanflow, { patch: 'fp=1', sampler: 'one' }).config!.mfPower).toBe(1);
  });

  it('multistep runs always have a tau', () => {
    const noTaus = { ...base, taus: [] };
    expect(resolveRun(noTaus, { patch: '', sampler: 'multi' }).config!.taus).toEqual([0.585]);
    // Digits get their own default tau.
    const digits = resolveRun({ ...withDatasetDefaults({ ...DEFAULTS, dataset: 'mnist' }, new Set()), taus: [] }, { patch: '', sampler: 'multi' });
    expect(digits.errors).toEqual([]);
    expect(digits.config!.taus).toEqual([...MNIST_TAUS]);
    expect(resolveRun(noTaus, { patch: '', sampler: 'one' }).config!.taus).toEqual([]);
  });
});

describe('comparison links', () => {
  it('round-trip the preset and each run with its sampler', () => {
    const runs = presetById('sampler')!.runs;
    const params = new URLSearchParams(encodeCompare('sampler', runs));
    expect(decodeCompare(params)).toEqual({ presetId: 'sampler', runs });
    const custom = [{ patch: 'so=euler&mu=0.95', sampler: 'one' as const }, { patch: 'm=ct', sampler: 'multi' as const }, { patch: '', sampler: 'one' as const }];
    expect(decodeCompare(new URLSearchParams(encodeCompare('custom', custom)))).toEqual({ presetId: 'custom', runs: custom });
  });

  it('say what is wrong with a broken comparison, and nothing without one', () => {
    expect(decodeCompare(new URLSearchParams('d=moons'))).toBeNull();
    expect(decodeCompare(new URLSearchParams('_cmp=nope&_cA=&_cB='))).toEqual({ error: expect.stringContaining('unknown comparison "nope"') });
    expect(decodeCompare(new URLSearchParams('_cmp=custom&_cA=m%3Dct'))).toEqual({ error: expect.stringContaining('2 to 4 runs') });
    expect(decodeCompare(new URLSearchParams('_cmp=custom&_cA=_s%3Dthree&_cB='))).toEqual({ error: expect.stringContaining('sampler "three"') });
  });
});
