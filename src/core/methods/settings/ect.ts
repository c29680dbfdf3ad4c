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

/** A stage length no run reaches: the whole run is stage 0 (the authors' one-hour recipe has this form). */
export const ECT_ONE_STAGE = 10_000_000;

// Short-run defaults (measured in 2D, NOTES.md "ECT in 2D"): one stage at q = 8, i.e. Delta t = t n(t)/8
// throughout, the paper's stage 2. The paper's q = 2 with 8 stages is ectQ 2, ectStageSteps 0.
export const ECT_DEFAULTS: EctSettings = { ectQ: 8, ectK: 8, ectB: 1, ectStageSteps: ECT_ONE_STAGE, ectC: 0, ectPrefitSteps: 300 };

export const ECT_FIELDS: { [K in keyof EctSettings]: NumberField<K> } = {
  ectQ: { key: 'ectQ', kind: 'number', min: 1, max: 4096, minExclusive: true, step: 1, label: 'ECT q', group: 'method', url: 'eq',
    help: 'Delta t shrinks by q each stage. Default q = 8 in one stage: Delta t = t n(t)/8 for the whole run, the paper\'s stage 2 (with the teacher as the start, stages 0-1 re-train a denoiser). Measured in 2D (600 and 1,500 steps): the paper\'s q = 2 over 8 stages of the budget ends at one-step SWD 0.30 (lr 1e-3: 0.30, 5e-3: 0.37) at 600 steps on moons, because its stages of ~40 steps reach Delta t / t = n(t)/256 before consistency has spread to t = 80 and the SWD climbs again from stage 5 on; one stage at q = 4, 8, 16 ends at 0.16, 0.09, 0.13 (moons, lr 1e-3; q = 32 is worse still). At 1,500 steps q = 8 reaches 0.049-0.072 (moons and eight Gaussians, 2 seeds), CT 0.059-0.119. The paper: q = 2, 8 stages of 25k iterations (steps per stage 0 here splits the budget into 8); the authors\' one-hour recipe: q = 256, one stage.',
    formula: 'r = \\max\\!\\big(0,\\ t\\,(1 - n(t)/q^{s+1})\\big)', paper: 'ECT code training/loss.py:45-50' },
  ectK: { key: 'ectK', kind: 'number', min: 0, max: 1000, step: 1, label: 'ECT k', group: 'method', url: 'ek',
    help: 'Delta t / t = n(t)/q^(s+1) with n(t) = 1 + k sigmoid(-b t): larger at small t (up to 1 + k/2).',
    formula: 'n(t) = 1 + k\\,\\sigma(-b t)', paper: 'ECT code (k = 8, b = 1)' },
  ectB: { key: 'ectB', kind: 'number', min: 0, max: 1000, step: 0.1, label: 'ECT b', group: 'method', url: 'eb',
    help: 'Time scale of n(t) (see ECT k).', formula: 'n(t) = 1 + \\frac{k}{1 + e^{b t}}', paper: 'ECT code (b = 1)' },
  ectStageSteps: { key: 'ectStageSteps', kind: 'int', min: 0, max: 10_000_000, label: 'ECT steps per stage (0 = budget/8)', group: 'method', url: 'es',
    help: 'Iterations per stage s of the Delta t schedule. Default 10,000,000: one stage for any run (see ECT q for why short runs learn faster so). 0 splits the step budget after the pre-fit into 8 stages, as the paper\'s 200k iterations are 8 stages of 25k.',
    formula: 's = \\big\\lfloor (k - k_{\\text{pre}}) / \\text{steps per stage} \\big\\rfloor', paper: 'ECT code ct_training_loop.py:235-242' },
  ectC: { key: 'ectC', kind: 'number', min: 0, max: 10, step: 0.0001, label: 'ECT c', group: 'method', url: 'ec',
    help: 'c = 0 (the paper\'s default) is the plain L2 norm of f - y per sample, divided by Delta t; c > 0 is pseudo-Huber.',
    formula: 'L = \\tfrac{\\sqrt{\\lVert f_\\theta(x_t,t) - \\operatorname{sg} f_\\theta(x_r,r)\\rVert^2 + c^2} - c}{t - r}', paper: 'ECT code training/loss.py:85-92' },
  ectPrefitSteps: { key: 'ectPrefitSteps', kind: 'int', min: 0, max: 1_000_000, label: 'ECT exact pre-fit steps', group: 'method', url: 'ef',
    help: 'With the exact 2D teacher: ECT starts from a diffusion model, so the first steps regress f onto the exact denoiser D*(x_t, t) (the network is then a teacher), then consistency tuning starts. With a learned or pretrained teacher ECT starts from its weights instead.',
    formula: 'L_{\\text{pre}} = \\lVert f_\\theta(x_t, t) - D^*(x_t, t)\\rVert^2', paper: 'few-step-methods.md section 3.4' },
};

export const ECT_KEYS = ['ectQ', 'ectK', 'ectB', 'ectStageSteps', 'ectC', 'ectPrefitSteps'] as const;
