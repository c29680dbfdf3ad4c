// Every training setting, generated from the schema and grouped as the papers present them; the sections
// follow the selected method (settingsGroups.ts).
import { ictPreset } from '../core/config';
import { withPreset } from '../state/configRules';
import { useConfig } from '../state/configStore';
import { notify } from '../state/notices';
import { FieldControl } from './FieldControl';
import { settingsGroups } from './settingsGroups';

/** Sections whose default open state depends on the method: re-opened or closed when it changes. */
const PER_METHOD = ['method', 'schedule'];

export function ControlsPanel() {
  const applyPatch = useConfig((s) => s.applyPatch);
  const mode = useConfig((s) => s.config.mode);
  const applyIct = () => {
    const config = useConfig.getState().config;
    const errors = applyPatch(withPreset(config, ictPreset(config.dataset)));
    if (errors.length > 0) notify({ kind: 'error', topic: 'preset', title: 'The iCT preset could not be applied', lines: errors });
  };
  return (
    <section className="panel controls" aria-labelledby="controls-title">
      <div className="panel-head">
        <h2 id="controls-title">Settings</h2>
        <button type="button" className="secondary" onClick={applyIct} title="CT with mu = 0, pseudo-Huber metric, lambda = 1/(t_{n+1} - t_n), lognormal n (P_mean = 0) and the doubling N(k) to s1 = 80 (iCT sections 3.1-3.5). At the page's budget (2,000 steps, seeds 1-3) its one-step SWD ends at 0.026-0.041 on moons and 0.043-0.048 on eight Gaussians, fixed N = 18's at 0.041-0.047 and 0.055-0.064. On digits P_mean stays the paper's -1.1.">
          iCT preset
        </button>
      </div>
      <p className="hint">Changing a setting rebuilds the model and restarts the run from step 0. Hover a setting for its formula and paper section.</p>
      {settingsGroups(mode).map(({ group, title, open, keys }) => (
        <details key={PER_METHOD.includes(group) ? `${group}-${mode}` : group} open={open} className="group">
          <summary>{title}</summary>
          <div className="group-fields">
            {keys.map((key) => (
              <FieldControl key={key} name={key} />
            ))}
          </div>
        </details>
      ))}
    </section>
  );
}
