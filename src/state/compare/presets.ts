// Compare mode's runs: each is the page's settings plus a few changes written as link parameters
// ("so=euler"), so a run is checked exactly like a shared link and fits in one. Presets are the papers'
// ablations (Song et al. 2023, section 6 and Fig. 3; iCT section 3).
import { defaultTaus, disabledReason, FIELD_LIST, valueLabel, type Config, type ConfigKey } from '../../core/config';
import { METHOD_INFO } from '../../core/methods/settings/index';
import { decodeConfig, encodeConfig, URL_VERSION } from '../urlCodec';

export type Sampler = 'one' | 'multi';

export interface RunSpec {
  /** Settings that differ from the page's, as link parameters, e.g. "m=cd&so=euler". */
  patch: string;
  /** Which samples and quality the run shows: one-step f(x_T, T), or multistep (Algorithm 1). */
  sampler: Sampler;
}

export interface ComparePreset {
  id: string;
  label: string;
  note: string;
  runs: RunSpec[];
  imagesOnly?: boolean;
}

export const MAX_RUNS = 4;
export const RUN_LABELS = ['A', 'B', 'C', 'D'] as const;

const run = (patch: string, sampler: Sampler = 'one'): RunSpec => ({ patch, sampler });

export const PRESETS: ComparePreset[] = [
  { id: 'solver', label: 'Euler vs Heun', note: 'CD with one Euler or one Heun step of the teacher at the same N; the paper found Heun better (Fig. 3).',
    runs: [run('m=cd&so=euler'), run('m=cd&so=heun')] },
  { id: 'metric', label: 'l1 vs l2', note: 'The distance d in the loss; on CIFAR-10 the paper ranks LPIPS > l2 > l1 (Fig. 3).', runs: [run('me=l1'), run('me=l2')] },
  { id: 'lpips', label: 'LPIPS vs l2 (digits)', imagesOnly: true,
    note: 'LPIPS compares deep features instead of pixels; it needs the LPIPS weights (load them once in the LPIPS panel).', runs: [run('me=lpips'), run('me=l2')] },
  { id: 'schedule', label: 'Fixed vs adaptive N', note: 'CT with a fixed N against the growing N(k) with its mu(k) (section 5). Measured on moons over the whole 2,000-step budget (seeds 1-3): one-step SWD 0.041-0.047 with N = 18 against 0.027-0.035 with N(k).',
    runs: [run('m=ct&ns=fixed'), run('m=ct&ns=ct-adaptive')] },
  { id: 'mode', label: 'CD vs CT', note: 'Distillation from a teacher against training without one (Algorithms 2 and 3).', runs: [run('m=cd'), run('m=ct')] },
  { id: 'mu', label: 'mu = 0 vs 0.95', note: 'The target network: a copy of the online net (mu = 0, as iCT) or a slow average (0.95, the paper\'s ImageNet runs).',
    runs: [run('ns=fixed&mu=0'), run('ns=fixed&mu=0.95')] },
  { id: 'sampler', label: 'One step vs multistep', note: 'The same training twice (same seed and settings, so the loss curves coincide); only the sampler differs (Algorithm 1).',
    runs: [run('', 'one'), run('', 'multi')] },
];

export const presetById = (id: string) => PRESETS.find((p) => p.id === id) ?? null;

/** The run's full settings: the page's, then the patch, through the link decoder; any complaint is an error. */
export function resolveRun(base: Config, spec: RunSpec): { config: Config | null; errors: string[] } {
  const params = new URLSearchParams(encodeConfig(base));
  const patch = new URLSearchParams(spec.patch);
  for (const [k, v] of patch) params.set(k, v);
  if (spec.sampler === 'multi' && !patch.has('ta') && base.taus.length === 0) params.set('ta', defaultTaus(base.dataset).join(','));
  if (!params.has('v')) params.set('v', URL_VERSION);
  const decoded = decodeConfig(params.toString());
  if (decoded.notices.length) return { config: null, errors: decoded.notices };
  // A change to a setting the run's method does not read would train the same run twice under two names
  // (l1 vs l2 on a MeanFlow page): refuse it with the reason the settings panel gives.
  const unused = FIELD_LIST.filter((f) => patch.has(f.url) && f.key !== 'mode')
    .flatMap((f) => {
      const why = disabledReason(f.key, decoded.config);
      return why ? [`${f.label}: ${why}, so "${f.url}=${patch.get(f.url)}" would not change this ${METHOD_INFO[decoded.config.mode].label} run`] : [];
    });
  return unused.length ? { config: null, errors: unused } : { config: decoded.config, errors: [] };
}

/** "ODE solver = Euler, Target EMA mu = 0.95": the settings of `c` that differ from `base` or that `patch` names. */
export function describeDiff(base: Config, c: Config, patch = ''): string {
  const named = new Set(new URLSearchParams(patch).keys());
  const keys = FIELD_LIST.filter((f) => named.has(f.url) || JSON.stringify(c[f.key]) !== JSON.stringify(base[f.key])).map((f) => f.key as ConfigKey);
  if (keys.length === 0) return 'the page\'s settings';
  return keys.map((k) => {
    const f = FIELD_LIST.find((x) => x.key === k)!;
    return `${f.label} = ${Array.isArray(c[k]) && (c[k] as unknown[]).length === 0 ? 'none' : valueLabel(f, c[k])}`;
  }).join(', ');
}

