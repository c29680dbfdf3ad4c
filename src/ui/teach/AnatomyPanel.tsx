// "Anatomy of a step": the run's next training step, stage by stage with Next/Back, each stage one
// sentence, one formula and the trainer's own numbers for the followed points.
import { useEffect, useRef } from 'react';
import { anatomyFrame, drawAnatomyView, nearestDataPoint, ROW_COLOURS } from '../../render/anatomyView';
import { registerView } from '../../render/loop';
import { useConfig } from '../../state/configStore';
import { useRun } from '../../state/runStore';
import { applyAnatomyStep, clearPicks, closeAnatomy, pickPoint, pickRandomPoints, refreshAnatomy, setStage, useAnatomy } from '../../state/teach/anatomy';
import type { AnatomyReply } from '../../worker/protocol';
import { Formula } from '../Formula';
import { anatomyStages, fmt, type Stage } from './anatomyStages';

const pair = (a: Float32Array | null, r: number) => (a ? `(${fmt(a[2 * r])}, ${fmt(a[2 * r + 1])})` : '–');
const dist = (a: Float32Array, b: Float32Array, r: number) => Math.hypot(a[2 * r] - b[2 * r], a[2 * r + 1] - b[2 * r + 1]);

function columns(s: Stage, a: AnatomyReply): { head: string[]; cell: (r: number) => string[] } {
  switch (s.id) {
    case 'x0': return { head: ['x_0'], cell: (r) => [pair(a.x0, r)] };
    case 'z': return { head: ['z'], cell: (r) => [pair(a.z, r)] };
    case 'xnext': return { head: ['n', 't_{n+1}', 'x_{t_{n+1}}'], cell: (r) => [String(a.n[r] + 1), fmt(a.tNext[r]), pair(a.xNext, r)] };
    case 'xhat': return a.mode === 'cd'
      ? { head: ['t_n', 'D(x_{t_{n+1}})', ...(a.heunPredictor ? ["x'"] : []), 'x̂_{t_n}'],
        cell: (r) => [fmt(a.tCur[r]), pair(a.denoised, r), ...(a.heunPredictor ? [pair(a.heunPredictor, r)] : []), pair(a.xHat, r)] }
      : { head: ['t_n', 'x̂_{t_n}'], cell: (r) => [fmt(a.tCur[r]), pair(a.xHat, r)] };
    case 'fonline': return { head: ['f_θ(x_{t_{n+1}})'], cell: (r) => [pair(a.fOnline, r)] };
    case 'ftarget': return { head: ['f_θ⁻(x̂_{t_n})'], cell: (r) => [pair(a.fTarget, r)] };
    case 'distance': return { head: ['λ', 'd'], cell: (r) => [fmt(a.lambda[r]), fmt(a.distance[r])] };
    default: return {
      head: ['f_θ after', 'moved', '|f_θ − f_θ⁻| before → after'],
      cell: (r) => [pair(a.fAfter, r), fmt(dist(a.fAfter, a.fOnline, r)), `${fmt(dist(a.fOnline, a.fTarget, r))} → ${fmt(dist(a.fAfter, a.fTarget, r))}`],
    };
  }
}

function AnatomyCanvas() {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => (ref.current
    ? registerView('anatomy', ref.current, drawAnatomyView, ({ run, config }) => [useAnatomy.getState().result, useAnatomy.getState().stage, run.staticData, config.sigmaData])
    : undefined), []);
  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const data = useRun.getState().staticData?.data;
    const rect = e.currentTarget.getBoundingClientRect();
    if (!data || !anatomyFrame) return;
    const p = nearestDataPoint(data, e.clientX - rect.left, e.clientY - rect.top);
    if (p) void pickPoint(p[0], p[1]);
  };
  return <canvas ref={ref} className="anatomy-canvas" data-view="anatomy" role="img" onClick={onClick}
    aria-label="The step's points in the data plane; click a data point to follow it" />;
}

export function AnatomyPanel() {
  const { open, result: a, stage, busy, error, picked } = useAnatomy();
  const runStep = useRun((s) => s.step);
  const data = useRun((s) => s.staticData?.data);
  // Shown for 2D CD and CT runs (Algorithms 2 and 3); another dataset or method hides it.
  const applies = useConfig((s) => s.config.dataset !== 'mnist' && (s.config.mode === 'cd' || s.config.mode === 'ct'));
  if (!open || !applies) return null;
  const stages = a ? anatomyStages(a) : [];
  const s = stages[Math.min(stage, stages.length - 1)];
  const cols = a && s ? columns(s, a) : null;
  const stale = a && (a.applied ? runStep !== a.step + 1 : runStep !== a.step);
  return (
    <section className="panel anatomy" aria-labelledby="anatomy-title">
      <div className="panel-head">
        <h2 id="anatomy-title">Anatomy of a step</h2>
        <button type="button" className="secondary" onClick={closeAnatomy}>Close</button>
      </div>
      {a && (
        <p className="hint">
          {a.applied ? 'Applied: ' : 'The run\'s next step, '}step {a.step} → {a.step + 1}, {a.mode.toUpperCase()}{a.mode === 'cd' ? ` with the ${a.solver === 'heun' ? 'Heun' : 'Euler'} teacher step` : ''},
          batch {a.batchSize}, N = {a.N}. The numbers are the trainer's own for this step (normalised units); looking leaves the run unchanged.
        </p>
      )}
      {stale && <p className="hint warn">The run has moved on since this step was taken apart. <button type="button" className="link" onClick={() => void refreshAnatomy()}>Show its next step</button></p>}
      {error && <p role="alert" className="error-text">{error}</p>}
      <div className="anatomy-body">
        <AnatomyCanvas />
        {a && s && cols && (
          <div className="anatomy-text">
            <p aria-live="polite" className="anatomy-stage"><strong>Stage {stage + 1} of {stages.length}: {s.title}</strong></p>
            <p>{s.sentence}</p>
            <Formula tex={s.tex} display />
            <table className="anatomy-table" aria-label="Numbers of this stage">
              <thead><tr><th scope="col">point</th>{cols.head.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
              <tbody>
                {Array.from({ length: a.rows }, (_, r) => (
                  <tr key={r}>
                    <th scope="row"><span className="swatch" style={{ background: ROW_COLOURS[r % ROW_COLOURS.length] }} />{r < picked.length / 2 ? `pick ${r + 1}` : `row ${r + 1}`}</th>
                    {cols.cell(r).map((c, i) => <td key={i}>{c}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
            {s.id === 'distance' && (
              <p>Batch loss of this step: <output aria-label="Step loss">{fmt(a.loss)}</output> (the trainer's); recomputed from the draws: {fmt(a.lossRecomputed)}.</p>
            )}
            <div className="buttons">
              <button type="button" disabled={stage === 0} onClick={() => setStage(stage - 1, stages.length)}>Back</button>
              <button type="button" disabled={stage === stages.length - 1} onClick={() => setStage(stage + 1, stages.length)}>Next</button>
            </div>
          </div>
        )}
      </div>
      <div className="buttons anatomy-actions">
        <button type="button" disabled={busy || !data} onClick={() => data && void pickRandomPoints(data)}>Pick 3 data points</button>
        <button type="button" disabled={busy || picked.length === 0} onClick={() => void clearPicks()}>Follow the batch's own points</button>
        <button type="button" disabled={busy || !a || a.applied} title="Take exactly this step: the run advances by one" onClick={() => void applyAnatomyStep()}>Apply this step</button>
        <button type="button" disabled={busy} onClick={() => void refreshAnatomy()}>Take the next step apart</button>
        {busy && <span className="muted">working…</span>}
      </div>
    </section>
  );
}
