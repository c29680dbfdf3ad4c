// Every training setting, generated from the schema and grouped as the papers present them.
import { FIELD_LIST, ICT_PRESET, type ConfigKey, type FieldGroup } from '../core/config';
import { useConfig } from '../state/configStore';
import { notify } from '../state/notices';
import { FieldControl } from './FieldControl';

const GROUPS: { group: FieldGroup; title: string; open: boolean; note?: string }[] = [
  { group: 'training', title: 'Training', open: true },
  { group: 'method', title: 'Method settings (ECT, shortcut, flow matching)', open: false },
  { group: 'schedule', title: 'Discretisation N and target EMA mu', open: true },
  { group: 'ict', title: 'Improved CT (iCT) options', open: false },
  { group: 'optimiser', title: 'Optimiser', open: false },
  { group: 'model', title: 'Model', open: false },
  { group: 'teacher', title: 'Teacher (CD)', open: false },
  { group: 'sampling', title: 'Sampling', open: true },
  { group: 'advanced', title: 'Advanced: eps, T, sigma_data, rho', open: false },
];

/** Settings shown elsewhere on the page (data panel, transport, status bar). */
const PLACED_ELSEWHERE: ConfigKey[] = ['dataset', 'pointSmoothing', 'steps', 'backend'];

function fieldsOf(group: FieldGroup): ConfigKey[] {
  return FIELD_LIST.filter((f) => f.group === group && !PLACED_ELSEWHERE.includes(f.key)).map((f) => f.key);
}

export function ControlsPanel() {
  const applyPatch = useConfig((s) => s.applyPatch);
  const applyIct = () => {
    const errors = applyPatch(ICT_PRESET);
    if (errors.length > 0) notify({ kind: 'error', topic: 'preset', title: 'The iCT preset could not be applied', lines: errors });
  };
  return (
    <section className="panel controls" aria-labelledby="controls-title">
      <div className="panel-head">
        <h2 id="controls-title">Settings</h2>
        <button type="button" className="secondary" onClick={applyIct} title="CT with mu = 0, pseudo-Huber metric, lambda = 1/(t_{n+1} - t_n), lognormal n and the doubling N(k) (iCT sections 3.1-3.5)">
          iCT preset
        </button>
      </div>
      <p className="hint">Changing a setting rebuilds the model and restarts the run from step 0. Hover a setting for its formula and paper section.</p>
      {GROUPS.map(({ group, title, open }) => (
        <details key={group} open={open} className="group">
          <summary>{title}</summary>
          <div className="group-fields">
            {fieldsOf(group).map((key) => (
              <FieldControl key={key} name={key} />
            ))}
          </div>
        </details>
      ))}
      <details className="group" open>
        <summary>Run</summary>
        <div className="group-fields">
          {fieldsOf('run').map((key) => (
            <FieldControl key={key} name={key} />
          ))}
        </div>
      </details>
    </section>
  );
}
