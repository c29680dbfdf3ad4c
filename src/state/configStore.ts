// The run's settings (one Config, declared in core/config.ts) and the user's own points. Every change
// goes through parseField and crossFieldErrors, exactly like a link does.
import { create } from 'zustand';
import { defaultConfig, FIELDS, parseField, validateConfig, type Config, type ConfigKey } from '../core/config';
import { newConflicts, withCompanions } from './configRules';

export interface ConfigState {
  config: Config;
  /** Custom points in the user's own coordinates, [x0, y0, x1, y1, ...]; null until drawn or uploaded. */
  points: Float64Array | null;
  /** Last rejected input per field, shown under the control. */
  fieldErrors: Partial<Record<ConfigKey, string>>;
  /** Bumped whenever the run must be rebuilt (config or points changed). */
  revision: number;
  setField: (key: ConfigKey, raw: unknown) => string | null;
  applyPatch: (patch: Partial<Config>) => string[];
  setPoints: (points: Float64Array | null) => void;
  replace: (config: Config) => void;
  /** A saved run's settings and points in one change (one rebuild); validated like a link. Errors change nothing. */
  restoreRun: (raw: Record<string, unknown>, points: Float64Array | null) => string[];
}

export const useConfig = create<ConfigState>((set, get) => ({
  config: defaultConfig(),
  points: null,
  fieldErrors: {},
  revision: 0,
  setField: (key, raw) => {
    const r = parseField(key, raw);
    const { config, fieldErrors } = get();
    let error: string | null = null;
    if (!r.ok) error = r.error;
    else {
      const next = withCompanions({ ...config, [key]: r.value } as Config, key);
      const conflicts = newConflicts(config, next);
      if (conflicts.length > 0) error = conflicts.join('; ');
      else if (JSON.stringify(next) !== JSON.stringify(config)) {
        const { [key]: _dropped, ...rest } = fieldErrors;
        set((s) => ({ config: next, fieldErrors: rest, revision: s.revision + (key === 'backend' ? 0 : 1) }));
        return null;
      }
    }
    if (error) set({ fieldErrors: { ...fieldErrors, [key]: error } });
    else if (fieldErrors[key]) {
      const { [key]: _dropped, ...rest } = fieldErrors;
      set({ fieldErrors: rest });
    }
    return error;
  },
  applyPatch: (patch) => {
    const { config, errors } = validateConfig(patch as Record<string, unknown>, get().config);
    if (errors.length === 0) set((s) => ({ config, fieldErrors: {}, revision: s.revision + 1 }));
    return errors;
  },
  setPoints: (points) => set((s) => ({ points, revision: s.revision + 1 })),
  replace: (config) => set((s) => ({ config, fieldErrors: {}, revision: s.revision + 1 })),
  restoreRun: (raw, points) => {
    const { config, errors } = validateConfig(raw);
    // A run on a preset keeps the user's drawn points for later; a run on custom data brings its own.
    if (errors.length === 0) set((s) => ({ config, points: points ?? (config.dataset === 'custom' ? null : s.points), fieldErrors: {}, revision: s.revision + 1 }));
    return errors;
  },
}));

export const useField = <K extends ConfigKey>(key: K) => useConfig((s) => s.config[key]);
export const fieldLabel = (key: ConfigKey) => FIELDS[key].label;
