// What else must change when one setting changes, so the UI never offers a dead end: picking MNIST
// switches the MLP to the shipped U-Net (the pretrained models are for it) with an image-sized batch, learning
// rate and multistep taus, leaving it switches back, and image-only options fall away.
import { crossFieldErrors, DEFAULTS, defaultLrSchedule, defaultTaus, hasDefaultLrSchedule, MODE_DEFAULT_KEYS_2D, MODE_DEFAULTS_2D, modeDefault2D, withDatasetDefaults, type Config, type ConfigKey } from '../core/config';
import { pretrainedModeProblem, pretrainedStudent, pretrainedStudentModels, pretrainedTeacherFile, type PretrainedRole } from '../core/run/pretrained';

const IMAGE = withDatasetDefaults({ ...DEFAULTS, dataset: 'mnist' }, new Set());

/**
 * Untouched mode defaults follow the mode on 2D data (MODE_DEFAULTS_2D: CD's width, CT's N schedule, metric,
 * mu0 and network): a value that is some mode's 2D default or DEFAULTS' becomes `c.mode`'s; a chosen one stays.
 */
function swapModeDefaults2D(c: Config): void {
  const record = c as unknown as Record<ConfigKey, unknown>;
  for (const k of MODE_DEFAULT_KEYS_2D) {
    const defaults = [DEFAULTS[k], ...Object.values(MODE_DEFAULTS_2D).map((d) => (d as Partial<Config>)[k])];
    if (defaults.some((v) => v !== undefined && v === record[k])) record[k] = modeDefault2D(c.mode, k);
  }
}

/** Untouched multistep taus (the `from` dataset's default) become `c.dataset`'s (digits have their own); chosen ones stay. */
function swapDefaultTaus(c: Config, from: Config['dataset']): void {
  if (c.taus.join(',') === defaultTaus(from).join(',')) c.taus = defaultTaus(c.dataset);
}

export function withCompanions(next: Config, changed: ConfigKey): Config {
  const image = next.dataset === 'mnist';
  if (changed === 'model' && image && !pretrainedTeacherFile(next.model) && next.teacher === 'pretrained') return { ...next, teacher: 'learned' };
  if (changed === 'mode' && !image) {
    const c = { ...next };
    // Each mode's own lr schedule (ECT diverges at CD's rate; the other methods keep a constant 5e-3):
    // switch an untouched schedule (some mode's default) over and back.
    if (hasDefaultLrSchedule(c)) Object.assign(c, defaultLrSchedule(c));
    // Each mode's own 2D settings (CT's N(k), CD's and CT's cheaper MLPs): likewise for untouched ones.
    swapModeDefaults2D(c);
    return c;
  }
  if (changed !== 'dataset') return next;
  const c = { ...next };
  if (image && c.model === 'mlp') {
    // Coming from 2D: keep a batch the user already made small and a learning rate they chose.
    c.model = IMAGE.model;
    c.batchSize = Math.min(c.batchSize, IMAGE.batchSize);
    if (hasDefaultLrSchedule(c)) Object.assign(c, defaultLrSchedule(c));
    // The mode's 2D defaults were measured on 2D data only: untouched ones go back to DEFAULTS' (digits keep
    // fixed N and l2, as the shipped models were trained).
    const record = c as unknown as Record<ConfigKey, unknown>;
    for (const k of MODE_DEFAULT_KEYS_2D) {
      if (k !== 'batchSize' && record[k] === modeDefault2D(c.mode, k)) record[k] = DEFAULTS[k];
    }
    swapDefaultTaus(c, 'moons');
  }
  if (!image && c.model !== 'mlp') {
    c.model = 'mlp';
    if (c.batchSize === IMAGE.batchSize) c.batchSize = DEFAULTS.batchSize;
    if (hasDefaultLrSchedule(c)) Object.assign(c, defaultLrSchedule(c));
    swapModeDefaults2D(c);
    swapDefaultTaus(c, 'mnist');
  }
  if (!image && c.metric === 'lpips') c.metric = 'l2';
  if (!image && c.teacher === 'pretrained') c.teacher = 'exact';
  if (image && c.teacher === 'exact') c.teacher = pretrainedTeacherFile(c.model) ? 'pretrained' : 'learned';
  return c;
}

/**
 * A preset (the iCT button) on top of `c`: a preset that switches the mode first brings that mode's untouched
 * 2D defaults, as picking the mode does (CT's batch 512 from a CD page), so the run is the one its tooltip measured.
 */
export function withPreset(c: Config, preset: Partial<Config>): Config {
  const base = preset.mode && preset.mode !== c.mode ? withCompanions({ ...c, mode: preset.mode }, 'mode') : c;
  return { ...base, ...preset };
}

/** The shipped model a run of this mode starts from on MNIST (CD, CT, ECT), or null for the other methods. */
export function pretrainedRoleFor(mode: Config['mode']): PretrainedRole | null {
  return mode === 'cd' || mode === 'ct' || mode === 'ect' ? mode : null;
}

/**
 * Why loading the shipped MNIST model `role` into this run cannot work, or null when it can: the checks the
 * worker makes (dataset, mode) plus the architecture its weights are for. The Load buttons are disabled on it.
 */
export function pretrainedLoadProblem(c: Config, role: PretrainedRole): string | null {
  if (c.dataset !== 'mnist') return 'the shipped models are MNIST models';
  if (!pretrainedStudent(role, c.model)) return `the shipped models are for the ${pretrainedStudentModels(role)} model`;
  return pretrainedModeProblem(c.mode, role);
}

/**
 * Why a run does not start from the shipped model `role` (default: the mode's own), or null when it does:
 * a load problem, or a learned teacher (it trains first; a click on Load still replaces it with the shipped one).
 */
export function pretrainedUnavailableReason(c: Config, role: PretrainedRole = pretrainedRoleFor(c.mode) ?? 'cd'): string | null {
  const problem = pretrainedLoadProblem(c, role);
  if (problem) return problem;
  if (c.mode !== 'ct' && c.teacher === 'learned') return 'with a learned teacher the teacher trains first; choose the pretrained teacher';
  return null;
}

/** Config keys the worker does not need a configure for (handled by their own command). */
export const SEPARATE_COMMAND_KEYS: readonly ConfigKey[] = ['backend'];

/** The cross-field problems a change would introduce (empty when it is fine). */
export function newConflicts(before: Config, after: Config): string[] {
  const old = new Set(crossFieldErrors(before));
  return crossFieldErrors(after).filter((e) => !old.has(e));
}
