// The three 2D views: samples, trajectories with the consistency arrows, and the time scrubber.
import type { Config } from '../core/config';
import type { RunState } from '../state/runStore';
import type { ViewState } from '../state/viewStore';
import { drawImageGrid } from './imageGrid';
import { timeColour, type Palette } from './palette';
import { clear, clipTo, drawArrow, drawFrame, drawPoints, legend, message, px, py, squareFrame, type Frame } from './plot2d';
import { sampleLabel } from './samplerLabels';

export interface ViewInput {
  run: RunState;
  view: ViewState;
  config: Config;
}

export const formatT = (t: number) => (t >= 10 ? t.toFixed(0) : t >= 1 ? t.toFixed(2) : t.toPrecision(2));
const isImage = (run: RunState) => (run.staticData?.dataShape.length ?? 1) > 1;
const extentFor = (c: Config) => 3.6 * c.sigmaData;

function waiting(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, run: RunState): boolean {
  if (run.staticData) return false;
  message(ctx, w, h, run.configuring ? 'Setting up the run…' : run.statusMessage || 'Waiting for the worker…', pal);
  return true;
}

export function drawSamplesView(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, { run, view, config }: ViewInput): void {
  clear(ctx, w, h, pal);
  if (waiting(ctx, w, h, pal, run)) return;
  const st = run.staticData!;
  const snap = run.snapshot;
  const samples = snap?.samples ?? [];
  if (isImage(run)) {
    const half = w / 2;
    if (samples[0]) drawImageGrid(ctx, 4, 20, half - 8, h - 24, samples[0], st.dataShape);
    if (samples.length > 1) drawImageGrid(ctx, half + 4, 20, half - 8, h - 24, samples[samples.length - 1], st.dataShape);
    ctx.fillStyle = pal.foreground;
    ctx.font = pal.font;
    ctx.textBaseline = 'top';
    ctx.fillText('one step', 6, 4);
    ctx.fillText(sampleLabel({ mode: config.mode, taus: snap?.taus ?? config.taus }, samples.length - 1, true), half + 6, 4);
    return;
  }
  const f = squareFrame(0, 0, w, h, extentFor(config));
  drawFrame(ctx, f, pal);
  ctx.save();
  clipTo(ctx, f);
  if (view.layers.data) drawPoints(ctx, f, st.data, pal.data, 1.4);
  if (view.layers.oneStep && samples[0]) drawPoints(ctx, f, samples[0], pal.oneStep, 1.7);
  if (view.layers.multistep && samples.length > 1) drawPoints(ctx, f, samples[samples.length - 1], pal.multistep, 1.7);
  ctx.restore();
  const items = [];
  if (view.layers.data) items.push({ colour: pal.data, label: 'data' });
  // Labelled with the snapshot's own taus (the settings may have changed since it was drawn).
  const sampler = { mode: config.mode, taus: snap?.taus ?? config.taus };
  if (view.layers.oneStep) items.push({ colour: pal.oneStep, label: sampleLabel(sampler, 0) });
  if (view.layers.multistep && samples.length > 1) items.push({ colour: pal.multistep, label: sampleLabel(sampler, samples.length - 1) });
  legend(ctx, items, f.x + 8, f.y + 12, pal);
  if (snap) {
    ctx.fillStyle = pal.muted;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    ctx.fillText(`step ${snap.step}`, f.x + f.size - 6, f.y + f.size - 5);
    ctx.textAlign = 'left';
  }
}

/** Teacher trajectories coloured by t, and arrows from x_t to f(x_t, t) that should land on each end. */
export function drawConsistencyView(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, { run, view, config }: ViewInput): void {
  clear(ctx, w, h, pal);
  if (waiting(ctx, w, h, pal, run)) return;
  const st = run.staticData!;
  if (isImage(run)) {
    message(ctx, w, h, 'Trajectories are drawn for 2D data.', pal);
    return;
  }
  const f = squareFrame(0, 0, w, h, extentFor(config));
  drawFrame(ctx, f, pal);
  ctx.save();
  clipTo(ctx, f);
  drawPoints(ctx, f, st.data, pal.data, 1);
  const times = st.trajectoryTimes;
  const states = st.trajectoryStates;
  const count = states[0] ? states[0].length / 2 : 0;
  if (view.layers.trajectories && states.length > 1) {
    ctx.lineWidth = 1.3;
    for (let k = 1; k < states.length; k++) {
      ctx.strokeStyle = timeColour(times[k], config.eps, config.T, 0.85);
      ctx.beginPath();
      for (let i = 0; i < count; i++) {
        ctx.moveTo(px(f, states[k - 1][2 * i]), py(f, states[k - 1][2 * i + 1]));
        ctx.lineTo(px(f, states[k][2 * i]), py(f, states[k][2 * i + 1]));
      }
      ctx.stroke();
    }
    // The ends x_eps: where every arrow of a trajectory should point.
    const end = states[states.length - 1];
    ctx.strokeStyle = pal.foreground;
    ctx.lineWidth = 1.5;
    for (let i = 0; i < count; i++) {
      ctx.beginPath();
      ctx.arc(px(f, end[2 * i]), py(f, end[2 * i + 1]), 4, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
  const snap = run.snapshot;
  if (view.layers.arrows && snap) drawArrows(ctx, f, snap.consistencyTimes, snap.consistencyInputs, snap.consistencyOutputs, config);
  ctx.restore();
  if (snap && snap.consistencySpread.length > 0) {
    const items = snap.consistencyTimes.map((t, i) => ({
      colour: timeColour(t, config.eps, config.T),
      label: `t = ${formatT(t)}: spread ${snap.consistencySpread[i].toFixed(3)}`,
    }));
    legend(ctx, items, f.x + 8, f.y + 12, pal);
  }
}

function drawArrows(ctx: CanvasRenderingContext2D, f: Frame, times: number[], inputs: Float32Array[], outputs: Float32Array[], c: Config): void {
  ctx.lineWidth = 1.2;
  times.forEach((t, k) => {
    const a = inputs[k];
    const b = outputs[k];
    if (!a || !b) return;
    ctx.strokeStyle = timeColour(t, c.eps, c.T);
    ctx.fillStyle = timeColour(t, c.eps, c.T);
    for (let i = 0; i + 1 < a.length; i += 2) {
      const x0 = px(f, a[i]);
      const y0 = py(f, a[i + 1]);
      ctx.fillRect(x0 - 2, y0 - 2, 4, 4);
      drawArrow(ctx, x0, y0, px(f, b[i]), py(f, b[i + 1]));
    }
  });
}

/** Left: p_t, the data noised to the cursor time. Right: where the model maps those points. */
export function drawScrubberView(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, { run, view, config }: ViewInput): void {
  clear(ctx, w, h, pal);
  if (waiting(ctx, w, h, pal, run)) return;
  const snap = run.snapshot;
  const st = run.staticData!;
  const half = w / 2;
  if (isImage(run)) {
    if (snap) {
      drawImageGrid(ctx, 4, 20, half - 8, h - 24, snap.cursorNoised, st.dataShape, 16);
      drawImageGrid(ctx, half + 4, 20, half - 8, h - 24, snap.cursorMapped, st.dataShape, 16);
    }
    return;
  }
  const t = snap?.cursorT ?? view.cursorT;
  // p_t has std sqrt(sigma_data^2 + t^2): widen the left frame with it so the cloud stays in view.
  const wide = Math.max(extentFor(config), 3 * Math.sqrt(config.sigmaData ** 2 + t * t));
  const left = squareFrame(0, 0, half, h, wide);
  const right = squareFrame(half, 0, half, h, extentFor(config));
  drawFrame(ctx, left, pal, `p_t at t = ${t.toPrecision(3)}  (axes ±${wide.toPrecision(2)})`);
  drawFrame(ctx, right, pal, 'f(x_t, t)');
  const colour = timeColour(t, config.eps, config.T, 0.9);
  ctx.save();
  clipTo(ctx, left);
  if (view.layers.pt && snap) drawPoints(ctx, left, snap.cursorNoised, colour, 1.5);
  ctx.restore();
  ctx.save();
  clipTo(ctx, right);
  drawPoints(ctx, right, st.data, pal.data, 1.2);
  if (view.layers.mapped && snap) drawPoints(ctx, right, snap.cursorMapped, pal.oneStep, 1.6);
  ctx.restore();
}
