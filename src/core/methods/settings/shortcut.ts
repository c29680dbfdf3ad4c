// Shortcut models' own settings (few-step-methods.md section 6.4): the finest step 1/M, the share of the
// batch that trains self-consistency, and where the bootstrap targets come from.
import type { NumberField } from '../../config';

export interface ShortcutSettings {
  shortcutM: number;
  shortcutBootstrap: number;
  shortcutTargetEma: number;
}

export const SHORTCUT_DEFAULTS: ShortcutSettings = { shortcutM: 128, shortcutBootstrap: 0.25, shortcutTargetEma: 0 };

export const SHORTCUT_FIELDS: { [K in keyof ShortcutSettings]: NumberField<K> } = {
  shortcutM: { key: 'shortcutM', kind: 'int', min: 2, max: 1024, label: 'Shortcut M (power of 2)', group: 'method', url: 'xm',
    help: 'The finest step is d = 1/M; these rows are plain flow matching (the code\'s d = 0 is k = log2 M). Sampling with K steps uses d = 1/K, K a power of two up to M.',
    formula: 'L = \\lVert s_\\theta(x_t,t,\\tfrac1M) - (x_1 - x_0)\\rVert^2 + \\lVert s_\\theta(x_t,t,2d) - \\operatorname{sg}\\tfrac{s_\\theta(x_t,t,d) + s_\\theta(x\'_{t+d},t+d,d)}{2}\\rVert^2',
    paper: 'Frans et al. 2025, code targets_shortcut.py' },
  shortcutBootstrap: { key: 'shortcutBootstrap', kind: 'number', min: 0, max: 1, maxExclusive: true, step: 0.05, label: 'Shortcut bootstrap fraction', group: 'method', url: 'xb',
    help: 'Share of the batch trained on self-consistency (the rest is flow matching at d = 1/M). The code uses 1/8; 1/4 here because short runs see few rows per step size.',
    formula: 'B_{\\text{boot}} = \\lfloor f B \\rfloor \\text{ rows at } 2d \\in \\{1, \\tfrac12, \\dots, \\tfrac2M\\},\\quad B - B_{\\text{boot}} \\text{ rows at } d = \\tfrac1M',
    paper: 'code train.py (bootstrap_every = 8)' },
  shortcutTargetEma: { key: 'shortcutTargetEma', kind: 'number', min: 0, max: 1, maxExclusive: true, step: 0.01, label: 'Shortcut target EMA', group: 'method', url: 'xe',
    help: 'Decay of the weights that make the bootstrap targets. 0 = the online weights (recommended for short runs: an EMA target lags self-consistency); the code uses 0.999.',
    formula: '\\theta^- \\leftarrow \\mu\\,\\theta^- + (1 - \\mu)\\,\\theta,\\quad \\mu = 0:\\ \\theta^- = \\theta',
    paper: 'code train.py; iSM (NeurIPS 2025) on the lag' },
};

export const SHORTCUT_KEYS = ['shortcutM', 'shortcutBootstrap', 'shortcutTargetEma'] as const;
