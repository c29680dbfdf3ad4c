// Compare mode's canvases: the runs' loss and quality curves overlaid, and one sample panel per run.
import { useCompare } from '../state/compare/compareStore';
import { smoothSeries } from '../state/series';
import { drawImageGrid } from './imageGrid';
import { drawLineChart, type LineSeries } from './lineChart';
import type { Palette } from './palette';
import { clear, clipTo, drawFrame, drawPoints, message, squareFrame } from './plot2d';
import { sampleLabel } from './samplerLabels';
import type { ViewInput } from './sampleViews';

/** Okabe-Ito colours plus a dash pattern per run, so runs stay apart with any colour vision and in print. */
export const RUN_STYLES = [
  { colour: '#0072B2', dash: [] as number[] },
  { colour: '#D55E00', dash: [6, 3] },
  { colour: '#009E73', dash: [2, 3] },
  { colour: '#CC79A7', dash: [8, 3, 2, 3] },
];

export function drawCompareLoss(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette): void {
  clear(ctx, w, h, pal);
  const runs = useCompare.getState().runs;
  const series: LineSeries[] = runs.filter((r) => r.loss.length > 0).map((r) => {
    const st = RUN_STYLES[runs.indexOf(r) % RUN_STYLES.length];
    return { xs: r.loss.xs, ys: smoothSeries(r.loss.ys, r.loss.length, 0.9), length: r.loss.length, colour: st.colour, dash: st.dash, width: 2, label: `Run ${r.label}` };
  });
  if (series.length === 0) {
    message(ctx, w, h, 'The runs\' losses (smoothed) appear here once they train.', pal);
    return;
  }
  drawLineChart(ctx, w, h, pal, { title: '', logY: true, xMax: Math.max(1, ...runs.map((r) => r.step)), series });
}

export function drawCompareQuality(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette): void {
  clear(ctx, w, h, pal);
  const runs = useCompare.getState().runs;
  const series: LineSeries[] = runs.filter((r) => r.quality.length > 0).map((r) => {
    const st = RUN_STYLES[runs.indexOf(r) % RUN_STYLES.length];
    return { xs: r.quality.xs, ys: r.quality.ys, length: r.quality.length, colour: st.colour, dash: st.dash, width: 2, label: `Run ${r.label}`, dots: r.quality.length < 3 };
  });
  if (series.length === 0) {
    message(ctx, w, h, 'Sample quality appears at each evaluation.', pal);
    return;
  }
  const floor = runs.find((r) => r.floor !== null)?.floor ?? null;
  drawLineChart(ctx, w, h, pal, {
    title: '', logY: true, xMax: Math.max(1, ...runs.map((r) => r.step)), series,
    references: floor !== null ? [{ y: floor, colour: pal.floor, label: 'floor' }] : [],
  });
}

/** The samples of run `index` from its fixed probe noise, drawn over the data. */
export const drawRunSamples = (index: number) => (ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, { config }: ViewInput): void => {
  clear(ctx, w, h, pal);
  const r = useCompare.getState().runs[index];
  if (!r || !r.staticData || !r.snapshot) {
    message(ctx, w, h, r?.error ? 'not running' : 'setting up…', pal);
    return;
  }
  const samples = r.snapshot.samples;
  const shown = r.spec.sampler === 'multi' ? samples[samples.length - 1] : samples[0];
  if (r.staticData.dataShape.length > 1) {
    drawImageGrid(ctx, 4, 4, w - 8, h - 8, shown, r.staticData.dataShape);
    return;
  }
  const f = squareFrame(0, 0, w, h, 3.6 * (r.config?.sigmaData ?? config.sigmaData));
  // The run's own method names its steps ("2 uniform steps" for the flow methods).
  const sampler = { mode: (r.config ?? config).mode, taus: r.snapshot.taus };
  drawFrame(ctx, f, pal, `${sampleLabel(sampler, r.spec.sampler === 'multi' ? samples.length - 1 : 0, true)} · step ${r.snapshot.step}`);
  ctx.save();
  clipTo(ctx, f);
  drawPoints(ctx, f, r.staticData.data, pal.data, 1.2);
  drawPoints(ctx, f, shown, RUN_STYLES[index % RUN_STYLES.length].colour, 1.6);
  ctx.restore();
};
