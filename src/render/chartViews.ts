// The live charts: loss, sample quality and the N(k) / mu(k) schedules.
import type { Config } from '../core/config';
import { scheduledMu, scheduledN } from '../core/cm/scheduleState';
import { smoothSeries } from '../state/series';
import { drawLineChart } from './lineChart';
import { SCORED_MULTISTEP_INDEX, sampleLabel } from './samplerLabels';
import type { Palette } from './palette';
import { clear, message } from './plot2d';
import type { ViewInput } from './sampleViews';

export function drawLossChart(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, { run, config }: ViewInput): void {
  clear(ctx, w, h, pal);
  const teacher = run.teacherLoss.length > 0 && run.loss.length === 0;
  const s = teacher ? run.teacherLoss : run.loss;
  if (s.length === 0) {
    message(ctx, w, h, 'The loss appears here once training starts.', pal);
    return;
  }
  const smooth = smoothSeries(s.ys, s.length, 0.9);
  drawLineChart(ctx, w, h, pal, {
    title: teacher ? 'teacher (EDM)' : '',
    logY: true,
    xMax: Math.max(s.xs[s.length - 1], 1),
    series: [
      { xs: s.xs, ys: s.ys, length: s.length, colour: pal.loss, width: 1, label: 'raw' },
      { xs: s.xs, ys: smooth, length: s.length, colour: pal.smoothed, width: 2, label: 'smoothed' },
    ],
  });
}

export function drawQualityChart(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, { run, config }: ViewInput): void {
  clear(ctx, w, h, pal);
  const q = run.quality;
  if (q.swd1.length === 0) {
    message(ctx, w, h, `Sample quality is measured every ${config.evalEvery} steps.`, pal);
    return;
  }
  const latest = run.latestQuality;
  const multi = config.taus.length > 0;
  drawLineChart(ctx, w, h, pal, {
    title: '',
    logY: true,
    xMax: Math.max(run.step, q.swd1.xs[q.swd1.length - 1], 1),
    series: [
      { xs: q.swd1.xs, ys: q.swd1.ys, length: q.swd1.length, colour: pal.oneStep, label: 'one step', dots: q.swd1.length < 3 },
      ...(multi ? [{ xs: q.swd2.xs, ys: q.swd2.ys, length: q.swd2.length, colour: pal.multistep, label: sampleLabel(config, SCORED_MULTISTEP_INDEX, true), dots: q.swd2.length < 3 }] : []),
    ],
    references: [
      ...(latest?.swdTeacher != null ? [{ y: latest.swdTeacher, colour: pal.teacher, label: 'teacher ODE' }] : []),
      ...(latest ? [{ y: latest.swdFloor, colour: pal.floor, label: 'floor' }] : []),
    ],
  });
}

/** N(k) and mu(k) over the step budget, cached per config (they do not depend on the run). */
let cache: { config: Config; xs: Float64Array; ns: Float64Array; mus: Float64Array } | null = null;

function schedulePoints(config: Config) {
  if (cache && cache.config === config) return cache;
  const count = 240;
  const xs = new Float64Array(count);
  const ns = new Float64Array(count);
  const mus = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const k = Math.round((i / (count - 1)) * config.steps);
    const N = scheduledN(config, k);
    xs[i] = k;
    ns[i] = N;
    mus[i] = scheduledMu(config, N);
  }
  cache = { config, xs, ns, mus };
  return cache;
}

export function drawScheduleChart(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, { run, config }: ViewInput): void {
  clear(ctx, w, h, pal);
  const p = schedulePoints(config);
  drawLineChart(ctx, w, h, pal, {
    title: `now N = ${run.N || p.ns[0]}, mu = ${(run.N ? run.mu : p.mus[0]).toFixed(3)}`,
    xMax: config.steps,
    rightRange: [0, 1],
    rightLabel: 'mu',
    cursorX: run.step,
    series: [
      { xs: p.xs, ys: p.ns, length: p.xs.length, colour: pal.oneStep, label: 'N(k)' },
      { xs: p.xs, ys: p.mus, length: p.xs.length, colour: pal.multistep, label: 'mu(k)', axis: 'right', dash: [4, 3] },
    ],
  });
}
