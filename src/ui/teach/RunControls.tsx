// Stop rules (at a step, at a target one-step SWD) and Rewind to an earlier checkpoint of the same run.
import { useEffect, useState } from 'react';
import { useConfig } from '../../state/configStore';
import { useRun } from '../../state/runStore';
import { installRunControl, rewindTo, setStopRules, useRunControl } from '../../state/teach/runControl';
import type { StopRules } from '../../worker/protocol';

/** A number box committed on Enter or blur; empty means off. Bad input is marked and changes nothing. */
function RuleInput({ label, rule, parse, hint }: {
  label: string; rule: keyof StopRules; parse: (text: string) => number | null | 'bad'; hint: string;
}) {
  const value = useRunControl((s) => s.rules[rule]);
  const [text, setText] = useState(value === null ? '' : String(value));
  const [bad, setBad] = useState(false);
  useEffect(() => setText(value === null ? '' : String(value)), [value]);
  const commit = () => {
    const v = parse(text.trim());
    setBad(v === 'bad');
    if (v !== 'bad' && v !== value) void setStopRules({ [rule]: v });
  };
  return (
    <label className="rule" title={hint}>{label}
      <input type="text" inputMode="decimal" value={text} placeholder="off" aria-invalid={bad} size={6}
        onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
      {bad && <span className="field-error" role="alert">{hint}</span>}
    </label>
  );
}

const parseStep = (t: string) => (t === '' ? null : /^\d+$/.test(t) && Number(t) >= 1 ? Number(t) : 'bad');
const parseSwd = (t: string) => (t === '' ? null : Number.isFinite(Number(t)) && Number(t) > 0 ? Number(t) : 'bad');

export function RunControls() {
  useEffect(installRunControl, []);
  const points = useRunControl((s) => s.points);
  const rewinding = useRunControl((s) => s.rewinding);
  const step = useRun((s) => s.step);
  const image = useConfig((s) => s.config.dataset === 'mnist');
  const earlier = points.filter((p) => p.step < step);
  const [chosen, setChosen] = useState<number | null>(null);
  const target = chosen !== null && earlier.some((p) => p.step === chosen) ? chosen : earlier.length ? earlier[earlier.length - 1].step : null;
  return (
    <section className="run-controls" aria-label="Stop and rewind">
      <RuleInput label="Stop at step" rule="atStep" parse={parseStep} hint="a whole number of steps >= 1, or empty for off" />
      {!image && <RuleInput label="Stop at one-step SWD ≤" rule="swdAtMost" parse={parseSwd} hint="a positive SWD (checked at each evaluation), or empty for off" />}
      <label className="rule">Checkpoint
        <select aria-label="Rewind to" value={target ?? ''} disabled={earlier.length === 0} onChange={(e) => setChosen(Number(e.target.value))}>
          {earlier.length === 0 && <option value="">none yet</option>}
          {earlier.map((p) => (
            <option key={p.step} value={p.step}>
              step {p.step}{p.step === 0 ? ' (initialisation)' : ''}{p.quality !== null ? ` · ${image ? 'FD' : 'SWD'} ${p.quality.toPrecision(3)}` : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={target === null || rewinding}
        title="Go back to the chosen checkpoint of this run (same initialisation and random streams); the curves after it are dropped"
        onClick={() => target !== null && void rewindTo(target)}>
        Rewind
      </button>
    </section>
  );
}
