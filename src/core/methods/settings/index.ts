// The method axis as settings (no tfjs: the page imports this through config.ts). Each method's own
// settings live in one file here; this file joins them and says, per method, what it is, which shared
// settings it reads and whether it is built yet. To add a method: see the top of ../types.ts.
import type { ConfigKey, Field } from '../../config';
import type { MethodId } from '../types';
import { ECT_DEFAULTS, ECT_FIELDS, ECT_KEYS, type EctSettings } from './ect';
import { FLOW_DEFAULTS, FLOW_FIELDS, FLOW_KEYS, type FlowSettings } from './flow';
import { JVP_DEFAULTS, JVP_FIELDS, JVP_KEYS, type JvpSettings } from './jvp';
import { MEANFLOW_DEFAULTS, MEANFLOW_FIELDS, MEANFLOW_KEYS, type MeanflowSettings } from './meanflow';
import { SCM_DEFAULTS, SCM_FIELDS, SCM_KEYS, type ScmSettings } from './scm';
import { SHORTCUT_DEFAULTS, SHORTCUT_FIELDS, SHORTCUT_KEYS, type ShortcutSettings } from './shortcut';

export type { MethodId };

/** Every method's own settings, merged into Config. */
export interface MethodSettings extends EctSettings, ShortcutSettings, FlowSettings, ScmSettings, MeanflowSettings, JvpSettings {}

export const METHOD_DEFAULTS: MethodSettings = { ...ECT_DEFAULTS, ...SHORTCUT_DEFAULTS, ...FLOW_DEFAULTS, ...SCM_DEFAULTS, ...MEANFLOW_DEFAULTS, ...JVP_DEFAULTS };

export const METHOD_FIELDS: { [K in keyof MethodSettings]: Field<K> } = { ...ECT_FIELDS, ...SHORTCUT_FIELDS, ...FLOW_FIELDS, ...SCM_FIELDS, ...MEANFLOW_FIELDS, ...JVP_FIELDS };

export interface MethodInfo {
  id: MethodId;
  label: string;
  /** One-line description with the target, shown in the mode tooltip. */
  help: string;
  formula: string;
  paper: string;
  /** False until the method is built: choosing it gives a validation message instead of a run. */
  available: boolean;
  /** 'distil': a teacher every step; 'init': starts from the teacher; 'none': data only. */
  teacher: 'distil' | 'init' | 'none';
  /** Its own settings (group "method"); every other method shows them disabled. */
  own: readonly ConfigKey[];
  /** Is it a consistency model sampled from x_T = T z with re-noising at the taus (CD, CT, ECT, sCM)? */
  consistency: boolean;
}

export const METHOD_INFO: Record<MethodId, MethodInfo> = {
  cd: { id: 'cd', label: 'CD', available: true, teacher: 'distil', own: [], consistency: true,
    help: 'Consistency distillation: f(x_{n+1}, t_{n+1}) matches the target net at the teacher\'s ODE step back to t_n.',
    formula: '\\lambda(t_n)\\, d\\big(f_\\theta(x_{t_{n+1}}, t_{n+1}),\\ f_{\\theta^-}(\\hat x^\\phi_{t_n}, t_n)\\big)', paper: 'Song et al. 2023, Algorithm 2' },
  ct: { id: 'ct', label: 'CT', available: true, teacher: 'none', own: [], consistency: true,
    help: 'Consistency training: no teacher; both points are x + t z with the same z.',
    formula: '\\lambda(t_n)\\, d\\big(f_\\theta(x + t_{n+1} z, t_{n+1}),\\ f_{\\theta^-}(x + t_n z, t_n)\\big)', paper: 'Song et al. 2023, Algorithm 3' },
  ect: { id: 'ect', label: 'ECT', available: true, teacher: 'init', own: ECT_KEYS, consistency: true,
    help: 'Easy consistency tuning: CT started from a diffusion model (the teacher\'s weights, or a pre-fit to the exact 2D denoiser), with r = t - Delta t, Delta t shrinking stage by stage, and the online net as its own stop-gradient target.',
    formula: '\\frac{\\lVert f_\\theta(x_0 + t\\epsilon, t) - \\operatorname{sg} f_\\theta(x_0 + r\\epsilon, r)\\rVert_2}{t - r}', paper: 'Geng et al. ICLR 2025; few-step-methods.md section 3' },
  scd: { id: 'scd', label: 'sCD', available: true, teacher: 'distil', own: [...SCM_KEYS, ...JVP_KEYS], consistency: true,
    help: 'Continuous-time consistency distillation in TrigFlow (sCM): tangent from the teacher\'s velocity, a JVP (finite difference, or exact for ReLU), tangent normalisation and warm-up, optionally Algorithm 1\'s learned adaptive weight w_phi(t) (setting sCM adaptive weight, off by default), and a few steps of TrigFlow diffusion training first instead of the paper\'s teacher initialisation.',
    formula: 'g = -\\cos^2 t\\,(\\sigma_d F_{\\theta^-} - \\tfrac{dx_t}{dt}) - r\\cos t\\sin t\\,(x_t + \\sigma_d \\tfrac{dF_{\\theta^-}}{dt})', paper: 'Lu & Song ICLR 2025, Algorithm 1' },
  sct: { id: 'sct', label: 'sCT', available: true, teacher: 'none', own: [...SCM_KEYS, ...JVP_KEYS], consistency: true,
    help: 'Continuous-time consistency training in TrigFlow (sCM): as sCD with dx_t/dt = cos t z - sin t x_0.',
    formula: 'g = -\\cos^2 t\\,(\\sigma_d F_{\\theta^-} - \\tfrac{dx_t}{dt}) - r\\cos t\\sin t\\,(x_t + \\sigma_d \\tfrac{dF_{\\theta^-}}{dt})', paper: 'Lu & Song ICLR 2025, Algorithm 1' },
  meanflow: { id: 'meanflow', label: 'MeanFlow', available: true, teacher: 'none', own: [...MEANFLOW_KEYS, ...JVP_KEYS], consistency: false,
    help: 'Mean flows: the network learns the average velocity u(z_t, r, t) over [r, t] instead of the velocity; one step x = e - u(e, 0, 1).',
    formula: 'u_{\\text{tgt}} = v - (t - r)\\,(v\\cdot\\partial_z u_\\theta + \\partial_t u_\\theta)', paper: 'Geng et al. 2025, Eq. 10' },
  shortcut: { id: 'shortcut', label: 'Shortcut', available: true, teacher: 'none', own: SHORTCUT_KEYS, consistency: false,
    help: 'One network for every step size d: flow matching at the finest step plus self-consistency, two steps of size d make one of size 2d. No teacher, no JVP.',
    formula: 's_\\theta(x_t, t, 2d) \\approx \\operatorname{sg}\\tfrac12\\big(s_\\theta(x_t, t, d) + s_\\theta(x_t + d\\,s_\\theta(x_t,t,d), t + d, d)\\big)', paper: 'Frans et al. ICLR 2025; few-step-methods.md section 6' },
  flow: { id: 'flow', label: 'Flow matching', available: true, teacher: 'none', own: FLOW_KEYS, consistency: false,
    help: 'Also called rectified flow: the velocity v(z_t, t) regressed onto e - x; sampled with K Euler steps (one step lands near the data mean: the baseline that fails at one step).',
    formula: '\\lVert v_\\theta((1-t)x + t e,\\ t) - (e - x)\\rVert^2', paper: 'Lipman et al. 2023; Liu et al. 2023; few-step-methods.md section 7' },
};

export const METHOD_IDS = Object.keys(METHOD_INFO) as MethodId[];

/** The method whose own settings these are, or null for a shared setting. */
export function ownerOf(key: ConfigKey): MethodInfo | null {
  return Object.values(METHOD_INFO).find((m) => m.own.includes(key)) ?? null;
}
