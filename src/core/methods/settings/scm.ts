// Settings of sCT / sCD (Lu & Song, ICLR 2025; few-step-methods.md section 4), scaled for short runs.
// No tfjs here: the page imports it.

export interface ScmSettings {
  /** Proposal for ln sigma = ln(sigma_d tan t) ~ N(scmPm, scmPs^2) (Algorithm 1; CIFAR-10 (-1.0, 1.4)). */
  scmPm: number;
  scmPs: number;
  /** c of the tangent normalisation g / (|g| + c) (paper 0.1). */
  scmC: number;
  /** Tangent warm-up H in steps (r = min(1, step/H)); 0 = a tenth of the run's steps. */
  scmWarmup: number;
  /** The two-step sampler's intermediate time t_mid (paper 1.1, sigma = 0.98). */
  scmTMid: number;
  /** Steps of TrigFlow diffusion pre-training (Eq. 4) before the consistency loss; the paper starts from a teacher. */
  scmPretrain: number;
}

export const SCM_DEFAULTS: ScmSettings = { scmPm: -1.0, scmPs: 1.4, scmC: 0.1, scmWarmup: 0, scmTMid: 1.1, scmPretrain: 200 };

/** The run's sCM settings: the config's own where it has them, the defaults otherwise. */
export function scmSettings(config: object): ScmSettings {
  return { ...SCM_DEFAULTS, ...pick(config, Object.keys(SCM_DEFAULTS)) } as ScmSettings;
}

function pick(o: object, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (typeof (o as Record<string, unknown>)[k] === 'number') out[k] = (o as Record<string, unknown>)[k];
  return out;
}
