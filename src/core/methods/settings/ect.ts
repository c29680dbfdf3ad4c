// ECT's own settings (few-step-methods.md section 3.4): the Delta t schedule r = t (1 - n(t) / q^(s+1)),
// n(t) = 1 + k sigmoid(-b t), its stage length, the loss constant c and the 2D exact-teacher pre-fit.
import type { NumberField } from '../../config';

export interface EctSettings {
  ectQ: number;
  ectK: number;
  ectB: number;
  ectStageSteps: number;
  ectC: number;
  ectPrefitSteps: number;
}

export const ECT_DEFAULTS: EctSettings = { ectQ: 2, ectK: 8, ectB: 1, ectStageSteps: 0, ectC: 0, ectPrefitSteps: 300 };

export const ECT_FIELDS: { [K in keyof EctSettings]: NumberField<K> } = {
  ectQ: { key: 'ectQ', kind: 'number', min: 1, max: 4096, minExclusive: true, step: 1, label: 'ECT q', group: 'method', url: 'eq',
    help: 'Delta t shrinks by q each stage. q = 2 with 8 stages over the run is the paper\'s CIFAR-10 schedule squeezed into the step budget; q = 256 with one stage (set the steps per stage to the budget) is the authors\' one-hour recipe (Delta t = t n(t)/256 from the start). Measured on 2D: q = 256 over 8 stages diverges; lr 3e-4 (the ECT default here) learns.',
    formula: 'r = \\max\\!\\big(0,\\ t\\,(1 - n(t)/q^{s+1})\\big)', paper: 'ECT code training/loss.py:45-50' },
  ectK: { key: 'ectK', kind: 'number', min: 0, max: 1000, step: 1, label: 'ECT k', group: 'method', url: 'ek',
    help: 'Delta t / t = n(t)/q^(s+1) with n(t) = 1 + k sigmoid(-b t): larger at small t (up to 1 + k/2).',
    formula: 'n(t) = 1 + k\\,\\sigma(-b t)', paper: 'ECT code (k = 8, b = 1)' },
  ectB: { key: 'ectB', kind: 'number', min: 0, max: 1000, step: 0.1, label: 'ECT b', group: 'method', url: 'eb',
    help: 'Time scale of n(t) (see ECT k).', paper: 'ECT code (b = 1)' },
  ectStageSteps: { key: 'ectStageSteps', kind: 'int', min: 0, max: 10_000_000, label: 'ECT steps per stage (0 = budget/8)', group: 'method', url: 'es',
    help: 'Iterations per stage s of the Delta t schedule. 0 splits the step budget into 8 stages, as the paper\'s 200k iterations are 8 stages of 25k.', paper: 'ECT code ct_training_loop.py:235-242' },
  ectC: { key: 'ectC', kind: 'number', min: 0, max: 10, step: 0.0001, label: 'ECT c', group: 'method', url: 'ec',
    help: 'c = 0 (the paper\'s default) is the plain L2 norm of f - y per sample, divided by Delta t; c > 0 is pseudo-Huber.',
    formula: 'L = \\tfrac{\\sqrt{\\lVert f_\\theta(x_t,t) - \\operatorname{sg} f_\\theta(x_r,r)\\rVert^2 + c^2} - c}{t - r}', paper: 'ECT code training/loss.py:85-92' },
  ectPrefitSteps: { key: 'ectPrefitSteps', kind: 'int', min: 0, max: 1_000_000, label: 'ECT exact pre-fit steps', group: 'method', url: 'ef',
    help: 'With the exact 2D teacher: ECT starts from a diffusion model, so the first steps regress f onto the exact denoiser D*(x_t, t) (the network is then a teacher), then consistency tuning starts. With a learned or pretrained teacher ECT starts from its weights instead.',
    formula: 'L_{\\text{pre}} = \\lVert f_\\theta(x_t, t) - D^*(x_t, t)\\rVert^2', paper: 'few-step-methods.md section 3.4' },
};

export const ECT_KEYS = ['ectQ', 'ectK', 'ectB', 'ectStageSteps', 'ectC', 'ectPrefitSteps'] as const;
