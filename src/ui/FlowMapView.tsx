// The flow-map view (few-step-methods.md section 8): the model's map X_theta(x, sigma -> sigma') against the
// exact PF-ODE map of the 2D mixture, drawn on a canvas by the render loop, with the start and end pickers,
// the numbers as text (for screen readers and tests) and what is exact here and why.
import { useState } from 'react';
import { fixedTrainingGrid, gridNeighbours, gridTimeLabel } from '../core/cm/trainingGrid';
import { METHOD_INFO } from '../core/methods/settings/index';
import { drawFlowMapView, flowMapUnavailable, formatError, formatSigma } from '../render/flowMapView';
import type { DepsFn, DrawFn } from '../render/loop';
import { useConfig } from '../state/configStore';
import { drawnCell, oneStepCell, useFlowMap } from '../state/flowMapStore';
import { notify } from '../state/notices';
import { useRun } from '../state/runStore';
import { session } from '../state/session';
import { Formula } from './Formula';
import { ViewCanvas } from './ViewCanvas';

const draw: DrawFn = (ctx, w, h, pal, input) => drawFlowMapView(ctx, w, h, pal, input, useFlowMap.getState());
const deps: DepsFn = ({ run, config }) => {
  const sel = useFlowMap.getState();
  return [run.latestQuality, run.latestQuality ? 0 : run.step, run.staticData, run.configuring, run.configured, config, sel.sigmaFrom, sel.sigmaTo];
};

const FME_TEX = String.raw`\mathrm{FME}(\sigma\to\sigma') = \frac{1}{\sigma_d}\sqrt{\frac{1}{2N}\sum_{i=1}^{N}\big\lVert X_\theta(x_i,\sigma\to\sigma') - X^*(x_i,\sigma\to\sigma')\big\rVert^2},\quad \frac{dx}{d\sigma} = \frac{x - D^*(x,\sigma)}{\sigma}`;

function Pickers() {
  const view = useRun((s) => s.latestQuality?.fmeView);
  const sel = useFlowMap();
  if (!view) return null;
  const cell = drawnCell(view, sel);
  const last = view.sigmas.length - 1;
  const ends = view.jumps === 'any' ? view.sigmas.slice(cell.from + 1) : [view.sigmas[last]];
  return (
    <>
      <label className="layer">Start σ
        <select value={view.sigmas[cell.from]} onChange={(e) => sel.select({ sigmaFrom: Number(e.target.value) })}>
          {view.sigmas.slice(0, last).map((s) => <option key={s} value={s}>{formatSigma(s)}</option>)}
        </select>
      </label>
      <label className="layer" title={view.jumps === 'any' ? undefined : 'This method maps only to the data end'}>End σ′
        <select value={view.sigmas[cell.to]} disabled={view.jumps !== 'any'} onChange={(e) => sel.select({ sigmaTo: Number(e.target.value) })}>
          {ends.map((s) => <option key={s} value={s}>{formatSigma(s)}</option>)}
        </select>
      </label>
      <span>
        error of this map{' '}
        <output aria-label="Flow-map error of the drawn map" className="counter-value">{formatError(cell.error)}</output>
      </span>
      <span>
        one step, σ = {formatSigma(view.sigmas[0])} → data end{' '}
        <output aria-label="One-step flow-map error in the view" className="counter-value">{formatError(oneStepCell(view).error)}</output>
      </span>
    </>
  );
}

/** Every cell's error as a table: the matrix or curve in words. */
function ErrorTable() {
  const view = useRun((s) => s.latestQuality?.fmeView);
  if (!view) return null;
  return (
    <details className="flowmap-table">
      <summary>All errors as a table</summary>
      <table>
        <thead><tr><th scope="col">start σ</th><th scope="col">end σ′</th><th scope="col">RMS error / σ_d</th></tr></thead>
        <tbody>
          {view.cells.map((c) => (
            <tr key={`${c.from}-${c.to}`}><td>{formatSigma(view.sigmas[c.from])}</td><td>{formatSigma(view.sigmas[c.to])}</td><td>{formatError(c.error)}</td></tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Explanation() {
  const config = useConfig((s) => s.config);
  const jumps = useRun((s) => s.latestQuality?.fmeView?.jumps);
  const count = useRun((s) => s.latestQuality?.fmeView?.count ?? 64);
  const sigmas = useRun((s) => s.latestQuality?.fmeView?.sigmas);
  const info = METHOD_INFO[config.mode];
  const dataEnd = jumps ? jumps === 'data-end' : info.consistency;
  const grid = fixedTrainingGrid(config);
  const offGrid = grid && sigmas ? sigmas.filter((sigma) => gridNeighbours(grid, sigma)) : [];
  return (
    <div className="flowmap-explain">
      <p>
        <strong>What is exact here.</strong> Every 2D data set is a mixture of Gaussians
        {config.dataset === 'custom' ? ` (your drawn points, each a Gaussian of std ${config.pointSmoothing})` : ''}, so its
        denoiser D*(x, σ) = E[x₀ | x_σ] has a closed form, and the probability-flow ODE can be solved to about 1e-6
        (RK4 in ln σ, float64, one trajectory per point). That gives the true map X*; only X_θ is learned.
      </p>
      <Formula tex={FME_TEX} display />
      <p className="muted">
        {dataEnd
          ? `${info.label} learns only maps to the data end, X(x, σ → 0) = f(x, σ), so the chart is one curve over the start σ. `
          : `${info.label} has maps between any two times: each cell is one network evaluation from σ to σ′${config.mode === 'flow' ? ' (for flow matching one Euler step, so the error includes discretisation)' : ''}. `}
        The one-step map starts at σ = T for every method, on the same {count} fixed points, so the methods compare
        (the flow methods' own sampler starts from pure noise). Computed at each evaluation, every {config.evalEvery} steps.
      </p>
      {offGrid.length > 0 && (
        <p className="muted" aria-label="Grid note">
          {info.label} at a fixed N is trained only at its N = {config.N} grid times, and σ = {offGrid.map(gridTimeLabel).join(', ')} lie
          between them: there the chart shows the network's untrained in-between, in 2D up to ~1.8x the error at the nearest grid times.
        </p>
      )}
    </div>
  );
}

/** Evaluates the weights as they are (step 0, a loaded run, a pause between evaluations); not while training. */
function EvaluateNow() {
  const latestStep = useRun((s) => s.latestQuality?.step ?? null);
  const step = useRun((s) => s.step);
  const training = useRun((s) => s.training);
  const ready = useRun((s) => s.configured && !s.configuring && s.progressPhase === 'student');
  const [busy, setBusy] = useState(false);
  if (training || latestStep === step) return null; // training evaluates by itself; this state is evaluated
  const run = async () => {
    setBusy(true);
    try {
      await session().client.evaluate();
    } catch (err) {
      notify({ kind: 'error', topic: 'evaluate', title: 'The evaluation failed', lines: [err instanceof Error ? err.message : String(err)] });
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" disabled={!ready || busy} onClick={() => void run()}
      title="Compute the sample quality and the flow-map error of the current weights now">
      {busy ? 'Evaluating…' : 'Evaluate now'}
    </button>
  );
}

function Caption() {
  const latestQuality = useRun((s) => s.latestQuality);
  const configuring = useRun((s) => s.configuring);
  const configured = useRun((s) => s.configured);
  const step = useRun((s) => (s.latestQuality ? 0 : s.step)); // only the waiting message reads it
  const config = useConfig((s) => s.config);
  const why = flowMapUnavailable({ latestQuality, configuring, configured, step }, config);
  return (
    <>
      {/* The canvas shows the same message; screen readers get it here. */}
      {why ? <span className="visually-hidden">{why}</span> : <Pickers />}
      {config.dataset !== 'mnist' && <EvaluateNow />}
      <ErrorTable />
    </>
  );
}

export const FlowMapView = () => (
  <ViewCanvas id="flowmap" title="Flow-map error: learned vs exact PF-ODE map" draw={draw} deps={deps} className="wide flowmap" caption={<Caption />}>
    <Explanation />
  </ViewCanvas>
);
