// sCT / sCD's own settings (Lu & Song, ICLR 2025; few-step-methods.md section 4.5), scaled for short runs:
// the time proposal, the tangent normalisation and warm-up, and the TrigFlow diffusion pre-training that
// stands in for the paper's initialisation from a teacher, and the learned adaptive weight w_phi(t).
// Multistep sampling re-noises at the shared taus (EDM sigma, converted to t = arctan(tau / sigma_d); the
// paper's t_mid = 1.1 is tau = 0.982).
import type { EnumField, NumberField } from '../../config';

export interface ScmSettings {
  scmPm: number;
  scmPs: number;
  scmC: number;
  scmWarmup: number;
  scmPretrain: number;
  /** 'learned': Algorithm 1's w_phi(t), a linear layer on the time features; 'off': w_phi = 0. */
  scmAdaptiveWeight: 'learned' | 'off';
}

/** scmAdaptiveWeight 'off': measured worse for sCD and mixed for sCT on short 2D runs (see its help). */
export const SCM_DEFAULTS: ScmSettings = { scmPm: -1.0, scmPs: 1.4, scmC: 0.1, scmWarmup: 0, scmPretrain: 200, scmAdaptiveWeight: 'off' };

export const SCM_FIELDS: { [K in keyof ScmSettings]: NumberField<K> | EnumField<K> } = {
  scmPm: { key: 'scmPm', kind: 'number', min: -10, max: 10, step: 0.1, label: 'sCM P_mean', group: 'method', url: 'cp',
    help: 'Times are drawn as sigma = sigma_d tan t = e^tau with tau ~ N(P_mean, P_std^2): EDM\'s lognormal in TrigFlow time. CIFAR-10 (-1.0, 1.4); ImageNet 64 (-1.0, 1.6).',
    formula: 't = \\arctan(e^{\\tau}/\\sigma_d),\\ \\tau \\sim \\mathcal N(P_{\\text{mean}}, P_{\\text{std}}^2)', paper: 'Lu & Song 2025, Algorithm 1, App. G.2' },
  scmPs: { key: 'scmPs', kind: 'number', min: 0, max: 10, minExclusive: true, step: 0.1, label: 'sCM P_std', group: 'method', url: 'cs',
    help: 'Std of tau (see sCM P_mean).', formula: '\\tau = \\ln \\sigma \\sim \\mathcal N(P_{\\text{mean}}, P_{\\text{std}}^2)', paper: 'Lu & Song 2025, Tables 4-5' },
  scmC: { key: 'scmC', kind: 'number', min: 0, max: 10, step: 0.01, label: 'sCM tangent normalisation c', group: 'method', url: 'cc',
    help: 'The tangent g is divided by its per-sample L2 norm plus c (paper 0.1): this bounds every sample\'s loss and is what keeps continuous-time training stable.',
    formula: 'g \\leftarrow g / (\\lVert g\\rVert + c)', paper: 'Lu & Song 2025, section 4.2' },
  scmWarmup: { key: 'scmWarmup', kind: 'int', min: 0, max: 10_000_000, label: 'sCM tangent warm-up H (0 = steps/10)', group: 'method', url: 'cw',
    help: 'r = min(1, step/H) multiplies the second term of g (the JVP term), counted from the start of consistency training. The paper uses H = 10k of 100k-400k iterations; 0 takes a tenth of the run.',
    formula: 'g = -\\cos^2 t\\,(\\sigma_d F^- - \\tfrac{dx_t}{dt}) - r\\,\\cos t\\sin t\\,(x_t + \\sigma_d \\tfrac{dF^-}{dt})', paper: 'Lu & Song 2025, section 4.2' },
  scmPretrain: { key: 'scmPretrain', kind: 'int', min: 0, max: 1_000_000, label: 'sCM diffusion pre-training steps', group: 'method', url: 'cr',
    help: 'The paper starts sCT and sCD from a trained TrigFlow diffusion model. Here the first steps train the same network as one (sigma_d F regressed onto dx_t/dt: the data path for sCT, the teacher\'s velocity for sCD); the consistency loss starts afterwards.',
    formula: 'L_{\\text{pre}} = \\lVert \\sigma_d F_\\theta(x_t/\\sigma_d, t) - \\tfrac{dx_t}{dt}\\rVert^2', paper: 'Lu & Song 2025, Eq. 4 and section 4.5 of the sheet' },
  scmAdaptiveWeight: { key: 'scmAdaptiveWeight', kind: 'enum', label: 'sCM adaptive weight w_phi(t)', group: 'method', url: 'ca',
    options: [{ value: 'learned', label: 'learned (Algorithm 1)' }, { value: 'off', label: 'off (w_phi = 0)' }],
    help: 'Algorithm 1 learns a log-weight w_phi(t) per time (a zero-initialised linear layer on the time features, trained with the network) so that every t contributes about equally: at its optimum e^w = D / E[|F - F^- - g|^2 | t] (EDM2\'s uncertainty weighting). Held at 0 during the diffusion pre-training. The loss shown is the unweighted 1/D |F - F^- - g|^2 (the objective itself is negative at its optimum). Default off, measured on moons (800 steps at the defaults, seeds 1-3, one-step SWD): sCT off 0.052 / 0.220 / 0.078, learned 0.054 / 0.067 / 0.050; sCD off 0.031 / 0.063 / 0.044, learned 0.124 / 0.070 / 0.357 (w_phi grows to e^w = 3-70, largest at large t). Run files saved without this setting are "off".',
    formula: 'L(\\theta,\\phi) = \\tfrac{e^{w_\\phi(t)}}{D}\\lVert F_\\theta - F_{\\theta^-} - g\\rVert^2 - w_\\phi(t)', paper: 'Lu & Song 2025, Algorithm 1 and section 4.2; few-step-methods.md section 4.2' },
};

export const SCM_KEYS = ['scmPm', 'scmPs', 'scmC', 'scmWarmup', 'scmPretrain', 'scmAdaptiveWeight'] as const;
