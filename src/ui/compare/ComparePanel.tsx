// Compare mode: two to four configurations trained side by side on the same data and seed, with the
// paper's ablations one click away, overlaid curves, one sample panel per run and a shareable link.
import { useState } from 'react';
import { drawCompareLoss, drawCompareQuality, drawRunSamples, RUN_STYLES } from '../../render/compareViews';
import type { DepsFn } from '../../render/loop';
import { useConfig } from '../../state/configStore';
import { notify } from '../../state/notices';
import { closeCompare, compareLink, pauseComparison, resetComparison, roundSteps, setupComparison, trainComparison } from '../../state/compare/compareRuns';
import { useCompare } from '../../state/compare/compareStore';
import { MAX_RUNS, PRESETS, presetById, RUN_LABELS, type RunSpec } from '../../state/compare/presets';
import { ViewCanvas } from '../ViewCanvas';

const versionDeps: DepsFn = () => [useCompare.getState().version];
const RUN_DRAWS = RUN_LABELS.map((_, i) => drawRunSamples(i));
const RUN_DEPS: DepsFn[] = RUN_LABELS.map((_, i) => () => {
  const r = useCompare.getState().runs[i];
  return [r?.snapshot, r?.staticData, r?.error];
});

function RunRegion({ index }: { index: number }) {
  const r = useCompare((s) => s.runs[index]);
  const image = useConfig((s) => s.config.dataset === 'mnist');
  if (!r) return null;
  const style = RUN_STYLES[index % RUN_STYLES.length];
  return (
    <section className="compare-run" role="region" aria-label={`Run ${r.label}`} style={{ borderTopColor: style.colour }}>
      <h3><span className="swatch" style={{ background: style.colour }} />Run {r.label}</h3>
      <p className="compare-diff">{r.diff || r.spec.patch || 'the page\'s settings'}{r.spec.sampler === 'multi' ? ' · multistep samples' : ' · one-step samples'}</p>
      <div className="counters">
        <span className="counter"><span className="counter-label">step</span><output aria-label={`Run ${r.label} step`} className="counter-value">{r.step}</output></span>
        <span className="counter"><span className="counter-label">{image ? 'FD' : 'SWD'}</span>
          <output aria-label={`Run ${r.label} quality`} className="counter-value">{r.latestQuality === null ? '–' : r.latestQuality.toPrecision(3)}</output></span>
        {r.msPerStep > 0 && <span className="muted">{r.msPerStep.toFixed(0)} ms/step</span>}
      </div>
      {r.error ? <p role="alert" className="error-text">{r.error}</p> : <p className="muted compare-status">{r.status}</p>}
      <ViewCanvas id={`compare-${r.label}`} title={`Run ${r.label} samples`} draw={RUN_DRAWS[index]} deps={RUN_DEPS[index]} />
    </section>
  );
}

function CustomRuns() {
  const runs = useCompare((s) => s.runs);
  const [rows, setRows] = useState<RunSpec[] | null>(null);
  const specs = rows ?? runs.map((r) => r.spec);
  const set = (i: number, patch: Partial<RunSpec>) => setRows(specs.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <details className="group compare-custom">
      <summary>Custom runs (changes as link parameters, e.g. <code>so=euler&amp;mu=0.95</code>)</summary>
      {specs.map((s, i) => (
        <div className="row" key={i}>
          <label>Run {RUN_LABELS[i]} changes
            <input type="text" value={s.patch} size={28} onChange={(e) => set(i, { patch: e.target.value })} />
          </label>
          <label>samples
            <select value={s.sampler} onChange={(e) => set(i, { sampler: e.target.value as RunSpec['sampler'] })}>
              <option value="one">one step</option>
              <option value="multi">multistep</option>
            </select>
          </label>
          <button type="button" disabled={specs.length <= 2} onClick={() => setRows(specs.filter((_, j) => j !== i))}>Remove run {RUN_LABELS[i]}</button>
        </div>
      ))}
      <div className="row">
        <button type="button" disabled={specs.length >= MAX_RUNS} onClick={() => setRows([...specs, { patch: '', sampler: 'one' }])}>Add run</button>
        <button type="button" onClick={() => {
          void setupComparison('custom', specs);
          setRows(null);
        }}>Set up these runs</button>
      </div>
    </details>
  );
}

export function ComparePanel() {
  const open = useCompare((s) => s.open);
  const presetId = useCompare((s) => s.presetId);
  const training = useCompare((s) => s.training);
  const busy = useCompare((s) => s.busy);
  const count = useCompare((s) => s.runs.length);
  const image = useConfig((s) => s.config.dataset === 'mnist');
  if (!open) return null;
  const preset = presetById(presetId);
  const copy = async () => {
    const link = compareLink();
    try {
      await navigator.clipboard.writeText(link);
      notify({ kind: 'info', topic: 'compare-link', title: 'Comparison link copied', lines: [link] });
    } catch {
      notify({ kind: 'info', topic: 'compare-link', title: 'Copy this link to share the comparison', lines: [link] });
    }
  };
  return (
    <section className="panel compare" aria-labelledby="compare-title">
      <div className="panel-head">
        <h2 id="compare-title">Compare runs</h2>
        <div className="buttons">
          <button type="button" className="primary" disabled={busy} onClick={() => void (training ? pauseComparison() : trainComparison())}>
            {training ? 'Pause all' : 'Train all'}
          </button>
          <button type="button" disabled={busy} onClick={() => void resetComparison()}>Reset all</button>
          <button type="button" onClick={() => void copy()}>Copy comparison link</button>
          <button type="button" className="secondary" onClick={() => void closeCompare()}>Close comparison</button>
        </div>
      </div>
      <div className="row" role="group" aria-label="Ablation presets">
        {PRESETS.filter((p) => !p.imagesOnly || image).map((p) => (
          <button type="button" key={p.id} aria-pressed={p.id === presetId} disabled={busy} onClick={() => void setupComparison(p.id, p.runs)}>{p.label}</button>
        ))}
      </div>
      {preset && <p className="hint">{preset.note}</p>}
      <p className="hint">
        Same data and seed for every run, on top of the page's settings. Sharing the machine: each run trains in its own worker, and the
        runs advance in lockstep rounds of {roundSteps(image)} steps (a round ends when the slowest run has done its {roundSteps(image)}; Pause
        lets the round finish), so they stop at the same step count and share the cores evenly; the main run is paused meanwhile.
      </p>
      <CustomRuns key={`${presetId}-${count}`} />
      <div className="chart-grid">
        <ViewCanvas id="compare-loss" title="Loss of each run (smoothed)" draw={drawCompareLoss} deps={versionDeps} className="chart" />
        <ViewCanvas id="compare-quality" title={`Sample quality of each run (${image ? 'FD' : 'sliced Wasserstein'})`} draw={drawCompareQuality} deps={versionDeps} className="chart" />
      </div>
      <div className="compare-runs">
        {Array.from({ length: count }, (_, i) => <RunRegion key={i} index={i} />)}
      </div>
    </section>
  );
}
