import { describe, expect, it } from 'vitest';
import { crossFieldErrors, CT_N_SCHEDULE_2D, CT_SETTINGS_2D, defaultConfig, DEFAULTS, ICT_PRESET, ictPreset, MNIST_TAUS, validateConfig, withDatasetDefaults, type Config } from '../../../src/core/config';
import { METHOD_IDS } from '../../../src/core/methods/settings/index';
import { newConflicts, pretrainedLoadProblem, pretrainedRoleFor, pretrainedUnavailableReason, withCompanions, withPreset } from '../../../src/state/configRules';

describe('companion settings', () => {
  it('switching to mnist picks the shipped U-Net, an image batch and learning rate, and the pretrained teacher', () => {
    const next = withCompanions({ ...DEFAULTS, dataset: 'mnist' }, 'dataset');
    expect([next.model, next.teacher, next.batchSize, next.lr]).toEqual(['unet-large', 'pretrained', 64, 2e-4]); // the best shipped CD model's
    expect(crossFieldErrors(next)).toEqual([]);
  });

  it('switching to mnist keeps a batch already smaller than 64 and a learning rate the user chose', () => {
    const next = withCompanions({ ...DEFAULTS, batchSize: 2, lr: 5e-4, dataset: 'mnist' }, 'dataset');
    expect([next.batchSize, next.lr]).toEqual([2, 5e-4]);
  });

  it('leaving mnist restores the 2D batch and learning rate it had set', () => {
    const image = withCompanions({ ...DEFAULTS, dataset: 'mnist' }, 'dataset');
    const back = withCompanions({ ...image, dataset: 'moons' }, 'dataset');
    expect([back.model, back.batchSize, back.lr, back.teacher]).toEqual(['mlp', DEFAULTS.batchSize, DEFAULTS.lr, 'exact']);
  });

  it('untouched multistep taus follow the dataset (digits have their own); chosen ones stay', () => {
    const image = withCompanions({ ...DEFAULTS, dataset: 'mnist' }, 'dataset');
    expect(image.taus).toEqual([...MNIST_TAUS]);
    expect(image.taus).not.toEqual(DEFAULTS.taus);
    expect(withCompanions({ ...image, dataset: 'moons' }, 'dataset').taus).toEqual(DEFAULTS.taus);
    expect(withCompanions({ ...DEFAULTS, taus: [2, 0.5], dataset: 'mnist' }, 'dataset').taus).toEqual([2, 0.5]);
    expect(withCompanions({ ...image, taus: [0.585], dataset: 'moons' }, 'dataset').taus).toEqual([0.585]);
    expect(withCompanions({ ...image, taus: [], dataset: 'moons' }, 'dataset').taus).toEqual([]);
    // The digits' default on a page opened at ?d=mnist is the same one.
    expect(withDatasetDefaults({ ...DEFAULTS, dataset: 'mnist' }, new Set()).taus).toEqual([...MNIST_TAUS]);
    expect(withDatasetDefaults({ ...DEFAULTS, dataset: 'mnist', taus: [3] }, new Set(['taus'])).taus).toEqual([3]);
  });

  it('switching back to 2D data restores the MLP and drops LPIPS', () => {
    const image: Config = { ...DEFAULTS, dataset: 'mnist', model: 'unet', metric: 'lpips', teacher: 'pretrained' };
    const next = withCompanions({ ...image, dataset: 'moons' }, 'dataset');
    expect([next.model, next.metric, next.teacher]).toEqual(['mlp', 'l2', 'exact']);
    expect(crossFieldErrors(next)).toEqual([]);
  });

  it('switching to CT picks its growing N(k) unless the user chose a schedule, and leaving CT restores fixed N', () => {
    const ct = withCompanions({ ...DEFAULTS, mode: 'ct' }, 'mode');
    expect(ct.nSchedule).toBe(CT_N_SCHEDULE_2D);
    expect(withCompanions({ ...ct, mode: 'cd' }, 'mode').nSchedule).toBe('fixed');
    expect(withCompanions({ ...DEFAULTS, mode: 'ct', nSchedule: 'ict-doubling' }, 'mode').nSchedule).toBe('ict-doubling');
    expect(withCompanions({ ...DEFAULTS, mode: 'cd', nSchedule: 'ict-doubling' }, 'mode').nSchedule).toBe('ict-doubling');
    // A CT run on digits keeps fixed N (the shipped CT model's); back on 2D data it gets CT's own schedule.
    expect(withCompanions({ ...DEFAULTS, mode: 'ct', dataset: 'mnist' }, 'mode').nSchedule).toBe('fixed');
    expect(withCompanions({ ...DEFAULTS, mode: 'ct', dataset: 'moons', model: 'unet' }, 'dataset').nSchedule).toBe(CT_N_SCHEDULE_2D);
    expect(withCompanions({ ...DEFAULTS, mode: 'ct', dataset: 'eight-gaussians' }, 'dataset').nSchedule).toBe('fixed');
  });

  it('the iCT preset from a CD page runs on CT\'s 2D defaults, as from a CT page (what its tooltip measured)', () => {
    const page = defaultConfig();
    const ctPage = withDatasetDefaults({ ...page, mode: 'ct' }, new Set());
    const fromCd = validateConfig({ ...withPreset(page, ICT_PRESET) }, page);
    expect(fromCd.errors).toEqual([]);
    expect(fromCd.config).toEqual(validateConfig(ICT_PRESET, ctPage).config);
    expect(fromCd.config.batchSize).toBe(CT_SETTINGS_2D.batchSize);
    // A batch the user chose stays.
    expect(withPreset({ ...page, batchSize: 64 }, ICT_PRESET).batchSize).toBe(64);
  });

  it('the iCT preset keeps the paper\'s P_mean on digits (P_mean = 0 was measured in 2D only)', () => {
    expect(ictPreset('moons')).toEqual(ICT_PRESET);
    expect(ictPreset('mnist')).toEqual({ ...ICT_PRESET, Pm: -1.1 });
  });

  it('reports only conflicts a change introduces', () => {
    expect(newConflicts(DEFAULTS, { ...DEFAULTS, T: 0.001 })).toContainEqual(expect.stringContaining('larger than eps'));
    expect(newConflicts(DEFAULTS, { ...DEFAULTS, N: 40 })).toEqual([]);
  });
});

describe('shipped MNIST models', () => {
  const mnist: Config = { ...DEFAULTS, dataset: 'mnist', model: 'unet', teacher: 'pretrained' };

  it('load into the default U-Net for CD with the pretrained teacher and for CT', () => {
    expect(pretrainedUnavailableReason(mnist)).toBeNull();
    expect(pretrainedUnavailableReason({ ...mnist, mode: 'ct' })).toBeNull();
  });

  it('are refused for the tiny U-Net, 2D data, and CD whose learned teacher trains first', () => {
    expect(pretrainedUnavailableReason({ ...mnist, model: 'unet-tiny' })).toContain('"unet"');
    expect(pretrainedUnavailableReason(DEFAULTS)).toContain('MNIST');
    expect(pretrainedUnavailableReason({ ...mnist, teacher: 'learned' })).toContain('teacher trains first');
  });

  it('ECT\'s model loads into ECT runs only, and CD\'s and CT\'s never into them (unshifted vs shifted f)', () => {
    const ect: Config = { ...mnist, mode: 'ect' };
    expect(pretrainedRoleFor('ect')).toBe('ect');
    expect(pretrainedRoleFor('scd')).toBeNull();
    expect(pretrainedUnavailableReason(ect)).toBeNull();
    expect(pretrainedUnavailableReason(ect, 'ect')).toBeNull();
    expect(pretrainedUnavailableReason(ect, 'cd')).toContain('CD and CT modes');
    expect(pretrainedUnavailableReason(ect, 'ct')).toContain('CD and CT modes');
    expect(pretrainedUnavailableReason(mnist, 'ect')).toContain('ECT mode');
    expect(pretrainedUnavailableReason({ ...mnist, mode: 'ct' }, 'ect')).toContain('ECT mode');
    expect(pretrainedUnavailableReason({ ...ect, teacher: 'learned' })).toContain('teacher trains first');
    expect(pretrainedUnavailableReason({ ...ect, model: 'unet-tiny' })).toContain('"unet"');
    expect(pretrainedUnavailableReason({ ...mnist, mode: 'scd' })).toContain('CD and CT modes');
  });

  // The Load buttons are disabled on pretrainedLoadProblem: in every mode, exactly the buttons whose model fits.
  it('can be loaded, in each of the eight modes, exactly where the shipped model fits the mode', () => {
    const fits: Record<string, string[]> = { cd: ['cd', 'ct'], ct: ['cd', 'ct'], ect: ['ect'] };
    expect(METHOD_IDS).toHaveLength(8);
    for (const mode of METHOD_IDS) {
      for (const role of ['cd', 'ct', 'ect'] as const) {
        const problem = pretrainedLoadProblem({ ...mnist, mode }, role);
        if ((fits[mode] ?? []).includes(role)) expect(problem, `${mode} ${role}`).toBeNull();
        else expect(problem, `${mode} ${role}`).toMatch(role === 'ect' ? /runs in the ECT mode/ : /run in the CD and CT modes/);
        // Whatever the mode, the tiny U-Net and 2D data cannot take the shipped weights.
        expect(pretrainedLoadProblem({ ...mnist, mode, model: 'unet-tiny' }, role), `${mode} ${role} tiny`).toContain('"unet"');
        expect(pretrainedLoadProblem({ ...DEFAULTS, mode }, role), `${mode} ${role} 2D`).toContain('MNIST');
      }
    }
  });

  it('stay loadable with a learned teacher (a click replaces it), though the run does not start from them', () => {
    expect(pretrainedLoadProblem({ ...mnist, teacher: 'learned' }, 'cd')).toBeNull();
    expect(pretrainedUnavailableReason({ ...mnist, teacher: 'learned' }, 'cd')).toContain('teacher trains first');
  });
});

describe('the tiny U-Net and the pretrained teacher', () => {
  it('picking unet-tiny on MNIST switches a pretrained teacher to a learned one', () => {
    const mnist = withCompanions({ ...DEFAULTS, dataset: 'mnist' }, 'dataset');
    expect(mnist.teacher).toBe('pretrained');
    const tiny = withCompanions({ ...mnist, model: 'unet-tiny' }, 'model');
    expect(tiny.teacher).toBe('learned');
    expect(crossFieldErrors(tiny)).toEqual([]);
    expect(crossFieldErrors({ ...tiny, teacher: 'pretrained' })).toEqual([expect.stringMatching(/pretrained teachers are "unet" or "unet-large"/)]);
  });

  it('picking unet keeps the pretrained teacher (each has its own); the Load buttons follow the model: CT has a unet file only', () => {
    const mnist = withCompanions({ ...DEFAULTS, dataset: 'mnist' }, 'dataset');
    expect(mnist.model).toBe('unet-large');
    const unet = withCompanions({ ...mnist, model: 'unet' }, 'model');
    expect(unet.teacher).toBe('pretrained');
    expect(crossFieldErrors(unet)).toEqual([]);
    expect(pretrainedLoadProblem(unet, 'cd')).toBeNull();
    expect(pretrainedLoadProblem({ ...unet, mode: 'ct' }, 'ct')).toBeNull();
    expect(pretrainedLoadProblem({ ...mnist, mode: 'ct' }, 'ct')).toBe('the shipped models are for the "unet" model');
    expect(pretrainedLoadProblem({ ...mnist, model: 'unet-tiny' }, 'ect')).toBe('the shipped models are for the "unet-large" or "unet" model');
  });
});

describe('the Load buttons\' texts', () => {
  it('describe every shipped model, and only those', async () => {
    const { PRETRAINED_ABOUT } = await import('../../../src/ui/mnist/PretrainedBar');
    const { PRETRAINED_STUDENTS } = await import('../../../src/core/run/pretrained');
    const shipped = Object.entries(PRETRAINED_STUDENTS).flatMap(([role, students]) => students.map((s) => `${role} ${s.model}`));
    expect(Object.keys(PRETRAINED_ABOUT).sort()).toEqual(shipped.sort());
  });
});
