// The live charts: loss, sample quality and the N(k) / mu(k) schedules.
import type { Config } from '../core/config';
import { METHOD_INFO, type MethodId } from '../core/methods/settings/index';
import { scheduledMu, scheduledN } from '../core/cm/scheduleState';
import { warmupPhase } from '../state/methodPhase';
import { smoothSeries } from '../state/series';
import { drawLineChart } from './lineChart';
import { SCORED_MULTISTEP_INDEX, sampleLabel } from './samplerLabels';
import type { Palette } from './palette';
import { clear, message } from './plot2d';
import type { ViewInput } from './sampleViews';
import { odeReferenceLabel } from './trajectoryTitles';

export function drawLossChart(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, { run, config }: ViewInput): void {
  clear(ctx, w, h, pal);
  const teacher = run.teacherLoss.length > 0 && run.loss.length === 0;
  const s = teacher ? run.teacherLoss : run.loss;
  if (s.length === 0) {
    message(ctx, w, h, 'The loss appears here once training starts.', pal);
    return;
  }
  const smooth = smoothSeries(s.ys, s.length, 0.9);
  // ECT's pre-fit and sCM's pre-training minimise another loss: mark where the method's own loss starts.
  const phase = teacher ? null : warmupPhase(config);
  drawLineChart(ctx, w, h, pal, {
    title: teacher ? 'teacher (EDM)' : '',
    logY: true,
    xMax: Math.max(s.xs[s.length - 1], 1),
    marks: phase ? [{ x: phase.steps, colour: pal.muted, label: `${phase.what} ends` }] : [],
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
      ...(latest?.swdTeacher != null ? [{ y: latest.swdTeacher, colour: pal.teacher, label: odeReferenceLabel(config) }] : []),
      ...(latest ? [{ y: latest.swdFloor, colour: pal.floor, label: 'floor' }] : []),
    ],
  });
}

/** What the quality chart's dashed lines are (the legend only names them). */
export function qualityNote(c: Config): string {
  return `Lower is better. Dashed: the ${odeReferenceLabel(c)}'s own samples, and the floor, two independent data samples of the same size (what a perfect model would score).`;
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

/** Title of the loss chart: only the consistency models minimise a consistency loss. */
export function lossTitle(mode: MethodId): string {
  return `${METHOD_INFO[mode].consistency ? 'Consistency' : METHOD_INFO[mode].label} loss (raw and smoothed)`;
}

/** Title of the schedule chart: N(k) and mu(k) are CD and CT's discretisation; the others have none. */
export function scheduleTitle(mode: MethodId): string {
  return mode === 'cd' || mode === 'ct' ? 'Schedules N(k) and mu(k)' : `Schedule (${METHOD_INFO[mode].label})`;
}

/**
 * What a method has instead of CD/CT's N(k) and mu(k), or null for CD and CT. `stage` is ECT's current stage
 * (the trainer reports it in place of N) once the run has stepped.
 */
export function scheduleNote(c: Config, stage: number | null): string | null {
  const label = METHOD_INFO[c.mode].label;
  switch (c.mode) {
    case 'cd':
    case 'ct':
      return null;
    case 'ect':
      // One stage longer than the run (the 2D default) means Δt never shrinks: say so rather than "at each stage".
      if (c.ectStageSteps >= c.steps) {
        return `ECT has no N(k) or mu(k): its pairs are (t, r = t - Δt) with r = t n(t) / q, q = ${c.ectQ}, for the whole run (one stage), and the target is the online net itself (no EMA).`;
      }
      return `ECT has no N(k) or mu(k): its pairs are (t, r = t - Δt), Δt shrinks by q = ${c.ectQ} at each stage${stage === null ? '' : ` (stage ${stage} now)`}, and the target is the online net itself (no EMA).`;
    case 'scd':
    case 'sct': {
      const H = c.scmWarmup > 0 ? c.scmWarmup : Math.max(1, Math.round(c.steps / 10));
      return `${label} has no N(k) or mu(k): time is continuous, the target is the online net (no EMA), and after ${c.scmPretrain} diffusion pre-training steps the tangent warm-up ramps over ${H} steps.`;
    }
    case 'meanflow':
      return 'MeanFlow has no N(k) or mu(k): (t, r) are drawn continuously at every step and the target is the online net (no EMA).';
    case 'shortcut':
      return `Shortcut models have no N(k): step sizes are d = 1/${c.shortcutM}, ..., 1 (powers of 2)${c.shortcutTargetEma > 0 ? `, target EMA ${c.shortcutTargetEma}` : ' and the target is the online net (no EMA)'}.`;
    case 'flow':
      return 'Flow matching has no schedule: t is drawn continuously at every step and there is no target network.';
  }
}

export function drawScheduleChart(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, { run, config }: ViewInput): void {
  clear(ctx, w, h, pal);
  const note = scheduleNote(config, run.step > 0 ? run.N : null);
  if (note) {
    message(ctx, w, h, note, pal);
    return;
  }
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
