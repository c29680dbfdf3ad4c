// MeanFlow's own settings (Geng et al. 2025; few-step-methods.md section 5.5): the share of rows with r != t,
// the adaptive loss weight and the (t, r) sampler. Defaults: the authors' CIFAR-10 recipe (small
// unconditional data, like ours), v1 sampler.
import type { NumberField } from '../../config';

export interface MeanflowSettings {
  mfRatio: number;
  mfPower: number;
  mfEta: number;
  mfTMean: number;
  mfTStd: number;
  mfRMean: number;
  mfRStd: number;
}

export const MEANFLOW_DEFAULTS: MeanflowSettings = { mfRatio: 0.75, mfPower: 0.75, mfEta: 1e-3, mfTMean: -0.6, mfTStd: 1.6, mfRMean: -4.0, mfRStd: 1.6 };

const sampler = 't \\sim \\sigma(\\mathcal N(\\mu_t, s_t^2)),\\ r \\sim \\sigma(\\mathcal N(\\mu_r, s_r^2)),\\ r \\leftarrow \\min(t, r)';

export const MEANFLOW_FIELDS: { [K in keyof MeanflowSettings]: NumberField<K> } = {
  mfRatio: { key: 'mfRatio', kind: 'number', min: 0, max: 1, step: 0.05, label: 'MeanFlow P(r != t)', group: 'method', url: 'fr',
    help: 'Share of rows that learn an average velocity over [r, t]; the others have r = t and are plain flow matching. The authors\' CIFAR-10 recipe uses 0.75, their ImageNet one 0.25 (paper Table 1a).',
    formula: 'r = t \\text{ with probability } 1 - P:\\ u_{\\text{tgt}} = v \\text{ (flow matching)}',
    paper: 'Geng et al. 2025, Table 1a; py-meanflow time_sampler.py' },
  mfPower: { key: 'mfPower', kind: 'number', min: 0, max: 4, step: 0.05, label: 'MeanFlow weight power p', group: 'method', url: 'fp',
    help: 'Adaptive loss weight w = 1/(Delta + eta)^p under stop-gradient, Delta the per-sample squared error (summed over coordinates). p = 1 is the gradient of ln(Delta + eta); p = 0 is plain l2. CIFAR-10 0.75, ImageNet 1.0.',
    formula: '\\mathcal L = \\operatorname{sg}(w)\\,\\Delta,\\ w = (\\Delta + \\eta)^{-p}', paper: 'Geng et al. 2025, Table 1e' },
  mfEta: { key: 'mfEta', kind: 'number', min: 0, max: 10, minExclusive: true, log: true, step: 0.0001, label: 'MeanFlow eta', group: 'method', url: 'fe',
    help: 'The constant of the adaptive weight (see p). It is compared with a sum over coordinates, so the same eta means less for digits than for 2D points.',
    formula: 'w = (\\Delta + \\eta)^{-p}', paper: 'py-meanflow (1e-3); JAX code (0.01)' },
  mfTMean: { key: 'mfTMean', kind: 'number', min: -10, max: 10, step: 0.1, label: 'MeanFlow t mean', group: 'method', url: 'fm',
    help: 'Logit-normal sampler of t (the v1 sampler of the authors\' PyTorch port: t ~ sigmoid(N(-0.6, 1.6^2)), r ~ sigmoid(N(-4, 1.6^2))).', formula: sampler, paper: 'py-meanflow time_sampler.py' },
  mfTStd: { key: 'mfTStd', kind: 'number', min: 0, max: 10, minExclusive: true, step: 0.1, label: 'MeanFlow t std', group: 'method', url: 'fs',
    help: 'See MeanFlow t mean.', formula: sampler, paper: 'py-meanflow time_sampler.py' },
  mfRMean: { key: 'mfRMean', kind: 'number', min: -10, max: 10, step: 0.1, label: 'MeanFlow r mean', group: 'method', url: 'fn',
    help: 'Logit-normal sampler of r before r = min(t, r): a low mean puts r near the data end, so many rows learn long jumps.', formula: sampler, paper: 'py-meanflow time_sampler.py' },
  mfRStd: { key: 'mfRStd', kind: 'number', min: 0, max: 10, minExclusive: true, step: 0.1, label: 'MeanFlow r std', group: 'method', url: 'fd',
    help: 'See MeanFlow r mean.', formula: sampler, paper: 'py-meanflow time_sampler.py' },
};

export const MEANFLOW_KEYS = ['mfRatio', 'mfPower', 'mfEta', 'mfTMean', 'mfTStd', 'mfRMean', 'mfRStd'] as const;
