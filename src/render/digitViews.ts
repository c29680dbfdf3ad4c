// The image views: grids of k-step samples from the fixed probe noise, the trajectory strip (x_t along
// teacher PF-ODE trajectories with f(x_t, t) under each frame), denoising of real digits at the time
// cursor, and the Frechet-distance chart.
import { drawDigit, drawDigitGrid, imageCount, imageShape, type ImageShape } from './digitTiles';
import { drawLineChart } from './lineChart';
import { timeColour, type Palette } from './palette';
import { clear, message } from './plot2d';
import { emptyStripMessage } from './trajectoryTitles';
import { formatT, type ViewInput } from './sampleViews';

function waiting(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, { run }: ViewInput): boolean {
  if (run.staticData && run.snapshot) return false;
  message(ctx, w, h, run.configuring || !run.staticData ? run.statusMessage || 'Setting up the run…' : 'Waiting for the first snapshot…', pal);
  return true;
}

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, pal: Palette, colour = pal.foreground, align: CanvasTextAlign = 'left'): void {
  ctx.font = pal.font;
  ctx.fillStyle = colour;
  ctx.textAlign = align;
  ctx.textBaseline = 'top';
  ctx.fillText(text, x, y);
  ctx.textAlign = 'left';
}

/** Grid of the `index`-th sampling iterate (0: one step f(x_T, T); k: after tau_k). */
export function drawSampleGrid(index: number) {
  return (ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, input: ViewInput): void => {
    clear(ctx, w, h, pal);
    if (waiting(ctx, w, h, pal, input)) return;
    const { run } = input;
    const snap = run.snapshot!;
    const images = snap.samples[index];
    if (!images) {
      message(ctx, w, h, 'Appears with the next snapshot.', pal);
      return;
    }
    drawDigitGrid(ctx, images, imageShape(run.staticData!.dataShape), 4, 4, w - 8, h - 22);
    const who = run.pretrainedRole ? `pretrained ${run.pretrainedRole.toUpperCase()}${snap.step > 0 ? ` + ${snap.step} steps` : ''}` : `step ${snap.step}`;
    label(ctx, who, w - 6, h - 15, pal, pal.muted, 'right');
  };
}

/** Rows of frames with a label column on the left; returns the tile size. */
function frameLayout(w: number, h: number, columns: number, rows: number, labelW: number, headerH: number, gap: number) {
  return Math.max(4, Math.floor(Math.min((w - labelW - gap * columns) / columns, (h - headerH - gap * rows) / rows)));
}

export function drawTrajectoryStrip(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, input: ViewInput): void {
  clear(ctx, w, h, pal);
  if (waiting(ctx, w, h, pal, input)) return;
  const { run, config } = input;
  const st = run.staticData!;
  const snap = run.snapshot!;
  const s = imageShape(st.dataShape);
  const count = snap.consistencyInputs[0] ? imageCount(snap.consistencyInputs[0], s) : 0;
  if (count === 0 || st.trajectoryStates.length === 0) {
    message(ctx, w, h, emptyStripMessage(config), pal);
    return;
  }
  const end = st.trajectoryStates[st.trajectoryStates.length - 1];
  const frames = snap.consistencyTimes.length;
  const labelW = 58;
  const headerH = 30;
  const gap = 3;
  const rows = 2 * count;
  const tile = frameLayout(w, h, frames + 1, rows, labelW, headerH, gap);
  const colX = (k: number) => labelW + k * (tile + gap) + (k === frames ? gap * 3 : 0);
  snap.consistencyTimes.forEach((t, k) => {
    const x = colX(k);
    ctx.fillStyle = timeColour(t, config.eps, config.T);
    ctx.fillRect(x, 2, tile, 4);
    label(ctx, `t = ${formatT(t)}`, x + tile / 2, 8, pal, pal.foreground, 'center');
    const spread = snap.consistencySpread[k];
    if (spread !== undefined) label(ctx, `|f − x_ε| ${spread.toFixed(1)}`, x + tile / 2, 19, pal, pal.muted, 'center');
  });
  label(ctx, 'ODE end x_ε', colX(frames) + tile / 2, 8, pal, pal.foreground, 'center');
  for (let j = 0; j < count; j++) {
    const yIn = headerH + 2 * j * (tile + gap) + (j > 0 ? gap * 2 : 0);
    const yOut = yIn + tile + gap;
    label(ctx, 'x_t', 4, yIn + tile / 2 - 6, pal);
    label(ctx, 'f(x_t, t)', 4, yOut + tile / 2 - 6, pal, pal.oneStep);
    for (let k = 0; k < frames; k++) {
      drawDigit(ctx, snap.consistencyInputs[k], j, s, colX(k), yIn, tile);
      drawDigit(ctx, snap.consistencyOutputs[k], j, s, colX(k), yOut, tile);
    }
    drawDigit(ctx, end, j, s, colX(frames), yOut, tile);
  }
}

/** Real digits noised to the cursor time (top) and what the model makes of them (below). */
export function drawDenoiseRows(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, input: ViewInput): void {
  clear(ctx, w, h, pal);
  if (waiting(ctx, w, h, pal, input)) return;
  const { run, config } = input;
  const snap = run.snapshot!;
  const s: ImageShape = imageShape(run.staticData!.dataShape);
  const n = Math.min(imageCount(snap.cursorNoised, s), 16);
  const labelW = 70;
  const headerH = 16;
  const gap = 3;
  const tile = frameLayout(w, h, n, 2, labelW, headerH, gap);
  label(ctx, `t = ${formatT(snap.cursorT)}`, 4, 2, pal);
  ctx.fillStyle = timeColour(snap.cursorT, config.eps, config.T);
  ctx.fillRect(60, 5, 30, 4);
  label(ctx, 'x + t z', 4, headerH + tile / 2 - 6, pal);
  label(ctx, 'f(x_t, t)', 4, headerH + tile + gap + tile / 2 - 6, pal, pal.oneStep);
  for (let k = 0; k < n; k++) {
    const x = labelW + k * (tile + gap);
    drawDigit(ctx, snap.cursorNoised, k, s, x, headerH, tile);
    drawDigit(ctx, snap.cursorMapped, k, s, x, headerH + tile + gap, tile);
  }
}

/** FD of one-step and two-step samples against steps, with the floor (real vs real) and noise ceiling. */
export function drawDigitQualityChart(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, { run, config }: ViewInput): void {
  clear(ctx, w, h, pal);
  const q = run.quality;
  const latest = run.latestQuality?.image;
  if (q.fd1.length === 0 || !latest) {
    message(ctx, w, h, `Frechet distance is measured every ${config.evalEvery} steps while training.`, pal);
    return;
  }
  const multi = config.taus.length > 0;
  drawLineChart(ctx, w, h, pal, {
    title: 'FD in classifier features',
    logY: true,
    xMax: Math.max(run.step, q.fd1.xs[q.fd1.length - 1], 1),
    series: [
      { xs: q.fd1.xs, ys: q.fd1.ys, length: q.fd1.length, colour: pal.oneStep, label: 'one step', dots: q.fd1.length < 3 },
      ...(multi ? [{ xs: q.fd2.xs, ys: q.fd2.ys, length: q.fd2.length, colour: pal.multistep, label: 'two steps', dots: q.fd2.length < 3 }] : []),
    ],
    references: [
      { y: latest.fdCeiling, colour: pal.teacher, label: 'noise' },
      { y: latest.fdFloor, colour: pal.floor, label: 'real digits' },
    ],
  });
}
