// A small line chart with a linear x axis (training steps) and a linear or log y axis.
import type { Palette } from './palette';

export interface LineSeries {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  length: number;
  colour: string;
  width?: number;
  dash?: number[];
  label: string;
  /** Draw dots instead of a line (sparse evaluations). */
  dots?: boolean;
  axis?: 'left' | 'right';
}

export interface ChartSpec {
  title: string;
  series: LineSeries[];
  /** Horizontal reference lines. */
  references?: { y: number; colour: string; label: string }[];
  xMax?: number;
  logY?: boolean;
  /** Fixed range for the right axis (e.g. mu in [0, 1]). */
  rightRange?: [number, number];
  rightLabel?: string;
  cursorX?: number;
  /** Vertical marks at a step (e.g. where a warm-up phase ends and the loss becomes another quantity). */
  marks?: { x: number; colour: string; label: string }[];
}

const PAD = { left: 44, right: 34, top: 20, bottom: 18 };

/** 1, 2, 2.5 or 5 times a power of ten: the smallest such step that cuts `span` into at most `count` parts. */
export function niceStep(span: number, count = 4): number {
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw * (1 - 1e-9)) ?? 10) * magnitude;
}

/** The y range and its ticks: decades on a log axis, round steps on a linear one (0, 5, 10, ... not 4.9, 9.7). */
export function yAxis(lo: number, hi: number, log: boolean): { y0: number; y1: number; ticks: number[]; label: (v: number) => string } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = log ? [1e-3, 1] : [0, 1];
  if (log) {
    const e0 = Math.floor(Math.log10(lo));
    const e1 = Math.max(e0 + 1, Math.ceil(Math.log10(hi)));
    // 10 ** e, not y0 * 10 ** i: 1e-4 * 100 is 0.00999..., labelled "1e-2" between "1e-3" and "0.10".
    return { y0: 10 ** e0, y1: 10 ** e1, ticks: Array.from({ length: e1 - e0 + 1 }, (_, i) => 10 ** (e0 + i)), label: fmt };
  }
  if (lo >= 0) lo = 0;
  if (hi <= lo) hi = lo + 1;
  const top = hi + (hi - lo) * 0.04; // a little room above the highest line
  const step = niceStep(top - lo);
  const y0 = Math.floor(lo / step + 1e-9) * step;
  const y1 = Math.ceil(top / step - 1e-9) * step;
  const exponent = Math.floor(Math.log10(step) + 1e-9);
  const decimals = Math.max(0, -exponent + (Number.isInteger(step / 10 ** exponent) ? 0 : 1)); // 2.5 needs one more
  const ticks = Array.from({ length: Math.round((y1 - y0) / step) + 1 }, (_, i) => y0 + i * step);
  return { y0, y1, ticks, label: (v) => (Math.abs(v) < step / 2 ? '0' : v.toFixed(decimals)) };
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-2) return v.toExponential(0);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(1) : v.toFixed(2);
}

export function drawLineChart(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, spec: ChartSpec): void {
  const log = !!spec.logY;
  let lo = Infinity;
  let hi = -Infinity;
  let xMax = spec.xMax ?? 0;
  for (const s of spec.series) {
    for (let i = 0; i < s.length; i++) {
      if ((s.axis ?? 'left') === 'left') {
        const y = s.ys[i];
        if (Number.isFinite(y) && (!log || y > 0)) {
          lo = Math.min(lo, y);
          hi = Math.max(hi, y);
        }
      }
      xMax = Math.max(xMax, s.xs[i]);
    }
  }
  for (const r of spec.references ?? []) {
    if (Number.isFinite(r.y) && (!log || r.y > 0)) {
      lo = Math.min(lo, r.y);
      hi = Math.max(hi, r.y);
    }
  }
  const { y0, y1, ticks, label } = yAxis(lo, hi, log);
  const [r0, r1] = spec.rightRange ?? [0, 1];
  if (!(xMax > 0)) xMax = 1;
  const plotW = w - PAD.left - PAD.right;
  const plotH = h - PAD.top - PAD.bottom;
  const X = (x: number) => PAD.left + (x / xMax) * plotW;
  const Y = (y: number) => PAD.top + plotH * (1 - (log ? Math.log(y / y0) / Math.log(y1 / y0) : (y - y0) / (y1 - y0)));
  const YR = (y: number) => PAD.top + plotH * (1 - (y - r0) / (r1 - r0));

  ctx.font = pal.font;
  ctx.fillStyle = pal.foreground;
  ctx.textBaseline = 'top';
  if (spec.title) ctx.fillText(spec.title, PAD.left, 3);

  // Grid and y ticks.
  ctx.strokeStyle = pal.grid;
  ctx.lineWidth = 1;
  ctx.fillStyle = pal.muted;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  const stride = Math.max(1, Math.ceil(ticks.length / 6));
  ticks.forEach((t, i) => {
    if (i % stride !== 0) return;
    const y = Math.round(Y(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(PAD.left, y);
    ctx.lineTo(w - PAD.right, y);
    ctx.stroke();
    ctx.fillText(label(t), PAD.left - 4, y);
  });
  ctx.textAlign = 'left';
  if (spec.rightRange) {
    ctx.fillText(fmt(r1), w - PAD.right + 4, YR(r1));
    ctx.fillText(fmt(r0), w - PAD.right + 4, YR(r0));
    if (spec.rightLabel) ctx.fillText(spec.rightLabel, w - PAD.right + 4, PAD.top + plotH / 2);
  }
  ctx.textBaseline = 'top';
  ctx.fillText('0', PAD.left, h - PAD.bottom + 4);
  ctx.textAlign = 'right';
  ctx.fillText(`${Math.round(xMax).toLocaleString('en')} steps`, w - PAD.right, h - PAD.bottom + 4);
  ctx.textAlign = 'left';

  ctx.save();
  ctx.beginPath();
  ctx.rect(PAD.left, PAD.top, plotW, plotH);
  ctx.clip();
  for (const r of spec.references ?? []) {
    if (!Number.isFinite(r.y) || (log && r.y <= 0)) continue;
    ctx.strokeStyle = r.colour;
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    ctx.moveTo(PAD.left, Y(r.y));
    ctx.lineTo(w - PAD.right, Y(r.y));
    ctx.stroke();
  }
  const marks = (spec.marks ?? []).filter((m) => m.x >= 0 && m.x <= xMax);
  for (const m of marks) {
    ctx.strokeStyle = m.colour;
    ctx.setLineDash([2, 3]);
    ctx.beginPath();
    ctx.moveTo(X(m.x), PAD.top);
    ctx.lineTo(X(m.x), PAD.top + plotH);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  for (const s of spec.series) {
    const toY = (s.axis ?? 'left') === 'left' ? Y : YR;
    ctx.strokeStyle = s.colour;
    ctx.fillStyle = s.colour;
    ctx.lineWidth = s.width ?? 1.5;
    ctx.setLineDash(s.dash ?? []);
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < s.length; i++) {
      const y = s.ys[i];
      if (!Number.isFinite(y) || (log && toY === Y && y <= 0)) {
        pen = false;
        continue;
      }
      const X0 = X(s.xs[i]);
      const Y0 = toY(y);
      if (s.dots) ctx.fillRect(X0 - 2, Y0 - 2, 4, 4);
      if (pen) ctx.lineTo(X0, Y0);
      else ctx.moveTo(X0, Y0);
      pen = true;
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
  if (spec.cursorX !== undefined) {
    ctx.strokeStyle = pal.accent;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(X(spec.cursorX), PAD.top);
    ctx.lineTo(X(spec.cursorX), PAD.top + plotH);
    ctx.stroke();
  }
  // Mark labels above the x axis, on a veil of the background so the curves do not run through them.
  ctx.textBaseline = 'bottom';
  for (const m of marks) {
    const right = X(m.x) > PAD.left + plotW / 2;
    const tw = ctx.measureText(m.label).width;
    const x = right ? X(m.x) - 3 - tw : X(m.x) + 3;
    ctx.globalAlpha = 0.8;
    ctx.fillStyle = pal.background;
    ctx.fillRect(x - 2, PAD.top + plotH - 16, tw + 4, 14);
    ctx.globalAlpha = 1;
    ctx.fillStyle = m.colour;
    ctx.textAlign = 'left';
    ctx.fillText(m.label, x, PAD.top + plotH - 3);
  }
  ctx.restore();

  // Legend along the top right.
  ctx.textBaseline = 'top';
  ctx.textAlign = 'right';
  let lx = w - PAD.right;
  const entries = [...spec.series.map((s) => ({ colour: s.colour, label: s.label })), ...(spec.references ?? []).map((r) => ({ colour: r.colour, label: r.label }))];
  for (const e of entries.reverse()) {
    ctx.fillStyle = pal.foreground;
    ctx.fillText(e.label, lx, 3);
    lx -= ctx.measureText(e.label).width + 4;
    ctx.fillStyle = e.colour;
    ctx.fillRect(lx - 8, 6, 8, 3);
    lx -= 16;
  }
  ctx.textAlign = 'left';
}
