// The settings panel's sections for the selected method: its own settings open and first, CD and CT's
// discretisation (N, mu, ...) open only for CD and CT. Settings of other methods stay visible, disabled
// with the reason, so a reader sees what each method adds.
import { FIELD_LIST, type ConfigKey, type FieldGroup } from '../core/config';
import { METHOD_INFO, type MethodId } from '../core/methods/settings/index';

export interface SettingsGroup {
  group: FieldGroup;
  title: string;
  open: boolean;
  keys: ConfigKey[];
}

/** Settings shown elsewhere on the page (data panel, transport, status bar). */
const PLACED_ELSEWHERE: ConfigKey[] = ['dataset', 'pointSmoothing', 'steps', 'backend'];

const SECTIONS: { group: FieldGroup; title: string; open: boolean }[] = [
  { group: 'training', title: 'Training', open: true },
  { group: 'method', title: 'Method settings', open: false },
  { group: 'schedule', title: 'Discretisation N and target EMA mu', open: true },
  { group: 'ict', title: 'Improved CT (iCT) options', open: false },
  { group: 'optimiser', title: 'Optimiser', open: false },
  { group: 'model', title: 'Model', open: false },
  { group: 'teacher', title: 'Teacher (CD)', open: false },
  { group: 'sampling', title: 'Sampling', open: true },
  { group: 'advanced', title: 'Advanced: eps, T, sigma_data, rho', open: false },
  { group: 'run', title: 'Run', open: true },
];

export function fieldsOf(group: FieldGroup): ConfigKey[] {
  return FIELD_LIST.filter((f) => f.group === group && !PLACED_ELSEWHERE.includes(f.key)).map((f) => f.key);
}

/** The methods that use a teacher: "CD, ECT, sCD". */
const TEACHER_USERS = Object.values(METHOD_INFO).filter((m) => m.teacher !== 'none').map((m) => m.label).join(', ');

export function settingsGroups(mode: MethodId): SettingsGroup[] {
  const info = METHOD_INFO[mode];
  const discrete = mode === 'cd' || mode === 'ct';
  return SECTIONS.map(({ group, title, open }) => {
    const keys = fieldsOf(group);
    if (group === 'method') {
      if (info.own.length === 0) return { group, title: `Other methods' settings (none for ${info.label})`, open: false, keys };
      const own = keys.filter((k) => info.own.includes(k));
      // The section also lists the other methods' settings (disabled) after the method's own: its title says so.
      return { group, title: `${info.label} settings, then the other methods' (disabled)`, open: true, keys: [...own, ...keys.filter((k) => !own.includes(k))] };
    }
    if (group === 'schedule' && !discrete) return { group, title: `${title} (CD and CT only)`, open: false, keys };
    if (group === 'teacher') return { group, title: `Teacher (${info.teacher === 'none' ? TEACHER_USERS : info.label})`, open, keys };
    return { group, title, open, keys };
  });
}
