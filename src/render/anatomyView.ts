// The plane of "Anatomy of a step": the data, and for each followed row the points of the step up to the
// current stage (earlier ones faded), in normalised units. The frame zooms to the stage's points, so a
// point noised to t = 80 really is far away.
import { useAnatomy } from '../state/teach/anatomy';
import { anatomyStages, pointsOf, type PointKind } from '../ui/teach/anatomyStages';
import type { Palette } from './palette';
import { clear, clipTo, drawArrow, drawFrame, drawPoints, message, px, py, squareFrame, type Frame } from './plot2d';
import type { ViewInput } from './sampleViews';

/** Okabe-Ito colours, one per followed row: distinguishable with the common colour-vision deficiencies. */
export const ROW_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9'];

/** The frame of the last drawing, so a click can be mapped back to the plane. */
export let anatomyFrame: Frame | null = null;

function marker(ctx: CanvasRenderingContext2D, kind: PointKind, x: number, y: number, colour: string): void {
  ctx.fillStyle = colour;
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.6;
  ctx.beginPath();
  switch (kind) {
    case 'x0':
      ctx.arc(x, y, 5, 0, 2 * Math.PI);
      ctx.fill();
      return;
    case 'xNext':
      ctx.arc(x, y, 5, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(x, y, 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    case 'predictor':
      ctx.arc(x, y, 4, 0, 2 * Math.PI);
      ctx.stroke();
      return;
    case 'denoised':
      ctx.moveTo(x, y - 6);
      ctx.lineTo(x + 6, y);
      ctx.lineTo(x, y + 6);
      ctx.lineTo(x - 6, y);
      ctx.closePath();
      ctx.stroke();
      return;
    case 'xHat':
      ctx.rect(x - 4.5, y - 4.5, 9, 9);
      ctx.fill();
      return;
    case 'fOnline':
    case 'fAfter':
      ctx.moveTo(x, y - 6);
      ctx.lineTo(x + 6, y + 5);
      ctx.lineTo(x - 6, y + 5);
      ctx.closePath();
      if (kind === 'fAfter') ctx.fill();
      else ctx.stroke();
      return;
    case 'fTarget':
      ctx.moveTo(x, y + 6);
      ctx.lineTo(x + 6, y - 5);
      ctx.lineTo(x - 6, y - 5);
      ctx.closePath();
      ctx.fill();
      return;
    default:
      return;
  }
}

export function drawAnatomyView(ctx: CanvasRenderingContext2D, w: number, h: number, pal: Palette, { run, config }: ViewInput): void {
  clear(ctx, w, h, pal);
  const { result: a, stage } = useAnatomy.getState();
  if (!a) {
    message(ctx, w, h, 'Taking the next step apart…', pal);
    return;
  }
  const stages = anatomyStages(a);
  const current = stages[Math.min(stage, stages.length - 1)];
  const shown = stages.slice(0, stage + 1).flatMap((s) => s.shows);
  let extent = 3.6 * config.sigmaData;
  for (const kind of current.focus) {
    const p = pointsOf(a, kind);
    if (p) for (const v of p) if (Number.isFinite(v)) extent = Math.max(extent, 1.12 * Math.abs(v));
  }
  const f = squareFrame(0, 0, w, h, extent);
  anatomyFrame = f;
  drawFrame(ctx, f, pal, `extent ±${extent.toPrecision(3)} (normalised units)`);
  ctx.save();
  clipTo(ctx, f);
  if (run.staticData) drawPoints(ctx, f, run.staticData.data, pal.data, 1.2);
  const at = (p: Float32Array, r: number): [number, number] => [px(f, p[2 * r]), py(f, p[2 * r + 1])];
  for (let r = 0; r < a.rows; r++) {
    const colour = ROW_COLOURS[r % ROW_COLOURS.length];
    const isNew = (k: PointKind) => current.shows.includes(k) || current.focus.includes(k);
    ctx.globalAlpha = 1;
    const line = (from: PointKind, to: PointKind, dash: number[] = [], arrow = false) => {
      const p = pointsOf(a, from);
      const q = pointsOf(a, to);
      if (!p || !q || !shown.includes(to)) return;
      ctx.globalAlpha = isNew(to) ? 1 : 0.35;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.3;
      ctx.setLineDash(dash);
      const [x0, y0] = at(p, r);
      const [x1, y1] = at(q, r);
      if (arrow) drawArrow(ctx, x0, y0, x1, y1, 7);
      else {
        ctx.beginPath();
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        ctx.stroke();
      }
      ctx.setLineDash([]);
    };
    line('x0', 'z', [], true);
    line('x0', 'xNext', [4, 4]);
    if (a.heunPredictor) line('xNext', 'predictor', [2, 3]);
    line('xNext', 'xHat', [], true);
    line('xNext', 'fOnline', [1, 3], true);
    line('xHat', 'fTarget', [1, 3], true);
    if (stage >= stages.findIndex((s) => s.id === 'distance')) line('fOnline', 'fTarget', [6, 3]);
    line('fOnline', 'fAfter', [], true);
    for (const kind of ['x0', 'xNext', 'denoised', 'predictor', 'xHat', 'fOnline', 'fTarget', 'fAfter'] as PointKind[]) {
      const p = pointsOf(a, kind);
      if (!p || !(kind === 'x0' || shown.includes(kind))) continue;
      ctx.globalAlpha = isNew(kind) ? 1 : 0.35;
      const [x, y] = at(p, r);
      if (Number.isFinite(x) && Number.isFinite(y)) marker(ctx, kind, x, y, colour);
    }
  }
  ctx.globalAlpha = 1;
  ctx.restore();
}

/** The data point of the on-screen sample nearest to a click (canvas CSS pixels), or null. */
export function nearestDataPoint(data: Float32Array, cx: number, cy: number): [number, number] | null {
  const f = anatomyFrame;
  if (!f || data.length < 2) return null;
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i + 1 < data.length; i += 2) {
    const d = (px(f, data[i]) - cx) ** 2 + (py(f, data[i + 1]) - cy) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best >= 0 && bestD < 30 * 30 ? [data[best], data[best + 1]] : null;
}
