// The flow-map view: on the left, fixed probe points mapped from sigma to sigma' by the exact PF-ODE
// (rings) and by the model (dots), joined by their error segments; on the right, the RMS error of every
// map the method has, as a triangle of (sigma, sigma') cells ('any') or a curve over the start sigma
// ('data-end'), coloured on the labelled scale of errorScale.ts. Static drawing: nothing animates.
import type { Config } from '../core/config';
import type { FlowMapView } from '../core/methods/flowMapError';
import { drawnCell, type FlowMapSelection, type FlowMapViewCell } from '../state/flowMapStore';
import type { RunState } from '../state/runStore';
import { ERROR_MAX, ERROR_MIN, ERROR_TICKS, errorColour, errorPosition, labelColour } from './errorScale';
import type { Palette } from './palette';
import { clear, clipTo, drawFrame, legend, message, px, py, squareFrame, type Frame } from './plot2d';
import type { ViewInput } from './sampleViews';

/** sigma as the view writes it: 80, 10, 2, 0.5, 0.1, 0.002. */
export const formatSigma = (s: number) => String(+s.toPrecision(3));
export const formatError = (e: number) => (Number.isFinite(e) ? e.toPrecision(3) : String(e));

/** What the view cannot draw, or null when there is a report to draw. */
export function flowMapUnavailable(run: Pick<RunState, 'configuring' | 'configured' | 'latestQuality' | 'step'>, config: Config): string | null {
  if (config.dataset === 'mnist') return 'No exact flow map for digits: MNIST is not a known mixture, so its PF-ODE has no exact solution.';
  if (run.configuring || !run.configured) return 'Setting up the run…';
  const q = run.latestQuality;
  if (!q) {
    const next = (Math.floor(run.step / config.evalEvery) + 1) * config.evalEvery;
    return `The flow-map error is computed at each evaluation (every ${config.evalEvery} steps): train to step ${next}, or press Evaluate now.`;
  }
  if (!q.fmeView) return 'This evaluation has no flow-map error.';
  return null;
}

/** Half-width of the scatter: the data's frame, widened to hold the exact images at sigma' (98th percentile). */
function extentFor(exact: Float32Array, sigmaData: number): number {
  const a = Float32Array.from(exact, Math.abs).sort();
  return Math.max(3.6 * sigmaData, 1.15 * (a[Math.floor(0.98 * (a.length - 1))] ?? 0));
}

function drawScatter(ctx: CanvasRenderingContext2D, f: Frame, pal: Palette, input: ViewInput, view: FlowMapView, cell: FlowMapViewCell): void {
  const exact = view.exact[cell.to];
  const learned = cell.learned;
  drawFrame(ctx, f, pal);
  ctx.save();
  clipTo(ctx, f);
  const data = input.run.staticData?.data;
  if (data) {
    ctx.fillStyle = pal.data;
    for (let i = 0; i + 1 < data.length; i += 2) ctx.fillRect(px(f, data[i]) - 1, py(f, data[i + 1]) - 1, 2, 2);
  }
  ctx.strokeStyle = pal.multistep;
  ctx.lineWidth = 1.3;
  ctx.beginPath();
  for (let i = 0; i + 1 < exact.length; i += 2) {
    ctx.moveTo(px(f, exact[i]), py(f, exact[i + 1]));
    ctx.lineTo(px(f, learned[i]), py(f, learned[i + 1]));
  }
  ctx.stroke();
  ctx.strokeStyle = pal.teacher;
  ctx.lineWidth = 1.5;
  for (let i = 0; i + 1 < exact.length; i += 2) {
    ctx.beginPath();
    ctx.arc(px(f, exact[i]), py(f, exact[i + 1]), 3.5, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.fillStyle = pal.oneStep;
  for (let i = 0; i + 1 < learned.length; i += 2) ctx.fillRect(px(f, learned[i]) - 2, py(f, learned[i + 1]) - 2, 4, 4);
  ctx.restore();
  const from = formatSigma(view.sigmas[cell.from]);
  const to = formatSigma(view.sigmas[cell.to]);
  legend(ctx, [
    { colour: pal.teacher, label: `exact X*(x, ${from} → ${to})` },
    { colour: pal.oneStep, label: `learned X_θ(x, ${from} → ${to})` },
    { colour: pal.multistep, label: 'error segments' },
  ], f.x + 8, f.y + 12, pal);
  ctx.fillStyle = pal.muted;
  ctx.font = pal.font;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.fillText(`${view.count} points from σ = ${from}, step ${input.run.latestQuality?.step ?? 0}`, f.x + f.size - 6, f.y + f.size - 5);
  ctx.textAlign = 'left';
}

function text(ctx: CanvasRenderingContext2D, s: string, x: number, y: number, colour: string, align: CanvasTextAlign = 'left', base: CanvasTextBaseline = 'middle'): void {
  ctx.fillStyle = colour;
  ctx.textAlign = align;
  ctx.textBaseline = base;
  ctx.fillText(s, x, y);
  ctx.textAlign = 'left';
}

/** The labelled colour scale: log ticks at 0.01, 0.1, 1 and the clamp at ERROR_MAX. */
function drawColourBar(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, pal: Palette): void {
  const n = 64;
  for (let k = 0; k < n; k++) {
    const e = ERROR_MIN * (ERROR_MAX / ERROR_MIN) ** ((k + 0.5) / n);
    ctx.fillStyle = errorColour(e);
    ctx.fillRect(x + (k * w) / n, y, w / n + 0.5, 10);
  }
  ctx.strokeStyle = pal.grid;
  ctx.strokeRect(x + 0.5, y + 0.5, w - 1, 10);
  ctx.font = pal.font;
  for (const t of [...ERROR_TICKS, ERROR_MAX]) {
    const tx = x + errorPosition(t) * w;
    ctx.fillStyle = pal.foreground;
    ctx.fillRect(tx - 0.5, y + 10, 1, 4);
    text(ctx, t === ERROR_MAX ? `≥ ${t}` : String(t), tx, y + 15, pal.foreground, t === ERROR_MAX ? 'right' : 'center', 'top');
  }
  text(ctx, 'RMS error / σ_d (log scale; 0 = exact)', x, y - 3, pal.muted, 'left', 'bottom');
}

/** 'any': rows are start levels, columns end levels; the cells below the diagonal do not exist (s' < s). */
function drawMatrix(ctx: CanvasRenderingContext2D, x0: number, w: number, h: number, pal: Palette, view: FlowMapView, drawn: FlowMapViewCell): void {
  const n = view.sigmas.length - 1;
  const left = 62;
  const top = 40;
  const bottom = 52;
  const size = Math.max(8, Math.min((w - left - 8) / n, (h - top - bottom) / n));
  const gx = x0 + left;
  ctx.font = pal.font;
  text(ctx, 'start σ ↓   end σ′ →', x0, 12, pal.foreground);
  for (let j = 1; j <= n; j++) text(ctx, formatSigma(view.sigmas[j]), gx + (j - 0.5) * size, top - 6, pal.foreground, 'center', 'bottom');
  for (let i = 0; i < n; i++) text(ctx, `σ = ${formatSigma(view.sigmas[i])}`, gx - 6, top + (i + 0.5) * size, pal.foreground, 'right');
  ctx.font = `${size >= 44 ? 12 : 10}px system-ui, sans-serif`;
  for (const c of view.cells) {
    const cx = gx + (c.to - 1) * size;
    const cy = top + c.from * size;
    ctx.fillStyle = errorColour(c.error);
    ctx.fillRect(cx + 1, cy + 1, size - 2, size - 2);
    if (size >= 26) text(ctx, c.error < 0.001 ? c.error.toExponential(0) : c.error.toPrecision(2), cx + size / 2, cy + size / 2, labelColour(c.error), 'center');
  }
  ctx.strokeStyle = pal.foreground;
  ctx.lineWidth = 2.5;
  ctx.strokeRect(gx + (drawn.to - 1) * size + 1, top + drawn.from * size + 1, size - 2, size - 2);
  ctx.lineWidth = 1;
  ctx.font = pal.font;
  if (x0 + w - (gx + n * size) > 60) text(ctx, '← one step', gx + n * size + 6, top + 0.5 * size, pal.muted);
  drawColourBar(ctx, gx, top + n * size + 24, Math.min(n * size, w - left - 8), pal);
}

/** 'data-end': the error of X(x, sigma -> data end) over the start sigma, log-log, dots on the colour scale. */
function drawCurve(ctx: CanvasRenderingContext2D, x0: number, w: number, h: number, pal: Palette, view: FlowMapView, drawn: FlowMapViewCell): void {
  const left = 48;
  const top = 30;
  const bottom = 78;
  const gx = x0 + left;
  const gw = w - left - 16;
  const gh = h - top - bottom;
  const cells = [...view.cells].sort((a, b) => a.from - b.from);
  const xs = cells.map((c) => Math.log10(view.sigmas[c.from]));
  const ys = cells.map((c) => Math.log10(Math.max(c.error, 1e-6)));
  const [xLo, xHi] = [Math.min(...xs) - 0.15, Math.max(...xs) + 0.15];
  const yLo = Math.floor(Math.min(-2, ...ys));
  const yHi = Math.ceil(Math.max(0.5, ...ys));
  const X = (v: number) => gx + ((v - xLo) / (xHi - xLo)) * gw;
  const Y = (v: number) => top + ((yHi - v) / (yHi - yLo)) * gh;
  ctx.font = pal.font;
  text(ctx, 'error of X(x, σ → data end) over the start σ', x0, 12, pal.foreground);
  ctx.strokeStyle = pal.grid;
  ctx.strokeRect(gx + 0.5, top + 0.5, gw, gh);
  for (let p = yLo; p <= yHi; p++) {
    ctx.beginPath();
    ctx.moveTo(gx, Y(p));
    ctx.lineTo(gx + gw, Y(p));
    ctx.stroke();
    text(ctx, String(+(10 ** p).toPrecision(1)), gx - 4, Y(p), pal.muted, 'right');
  }
  for (const c of cells) text(ctx, formatSigma(view.sigmas[c.from]), X(Math.log10(view.sigmas[c.from])), top + gh + 4, pal.foreground, 'center', 'top');
  text(ctx, 'start σ (log)', gx + gw, top + gh + 18, pal.muted, 'right', 'top');
  ctx.strokeStyle = pal.foreground;
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  cells.forEach((_, k) => (k ? ctx.lineTo(X(xs[k]), Y(ys[k])) : ctx.moveTo(X(xs[k]), Y(ys[k]))));
  ctx.stroke();
  cells.forEach((c, k) => {
    const selected = c === drawn || (c.from === drawn.from && c.to === drawn.to);
    ctx.beginPath();
    ctx.arc(X(xs[k]), Y(ys[k]), selected ? 8 : 6, 0, 2 * Math.PI);
    ctx.fillStyle = errorColour(c.error);
    ctx.fill();
    ctx.lineWidth = selected ? 2.5 : 1;
    ctx.stroke();
    text(ctx, c.error.toPrecision(2), X(xs[k]), Y(ys[k]) - 11, pal.foreground, 'center', 'bottom');
  });
  ctx.lineWidth = 1;
  drawColourBar(ctx, gx, top + gh + 52, Math.min(gw, 320), pal);
}

export function drawFlowMapView(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, input: ViewInput, sel: Pick<FlowMapSelection, 'sigmaFrom' | 'sigmaTo'>): void {
  clear(ctx, w, h, pal);
  const why = flowMapUnavailable(input.run, input.config);
  if (why) {
    message(ctx, w, h, why, pal);
    return;
  }
  const view = input.run.latestQuality!.fmeView!;
  const cell = drawnCell(view, sel);
  // A tall canvas (phones) stacks the scatter over the chart; a wide one puts them side by side.
  const stacked = w < 1.2 * h;
  const side = stacked ? Math.min(w, h * 0.55) : Math.min(h, w * 0.48);
  const f = squareFrame(0, 0, stacked ? w : side, side, extentFor(view.exact[cell.to], input.config.sigmaData));
  drawScatter(ctx, f, pal, input, view, cell);
  ctx.save();
  if (stacked) ctx.translate(0, side + 10);
  const [x0, cw, ch] = stacked ? [0, w, h - side - 10] : [side + 14, w - side - 14, h];
  if (view.jumps === 'any') drawMatrix(ctx, x0, cw, ch, pal, view, cell);
  else drawCurve(ctx, x0, cw, ch, pal, view, cell);
  ctx.restore();
}
