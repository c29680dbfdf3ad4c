// What the page says when a changed setting restarts a run that had trained: a method switch names both
// methods (a run of one method never continues as another), any other change says just that.
import type { Config } from '../core/config';
import { METHOD_INFO } from '../core/methods/settings/index';

export function restartNotice(before: Config, after: Config, step: number): { title: string; lines: string[] } {
  if (before.mode === after.mode) return { title: 'Settings changed: the run restarted from step 0', lines: [] };
  const was = METHOD_INFO[before.mode].label;
  return {
    title: `Training mode changed to ${METHOD_INFO[after.mode].label}: a new run starts from step 0`,
    lines: [`The ${was} run stopped at step ${step}; Saved runs keeps it when this browser stores data (Load brings it back).`],
  };
}
