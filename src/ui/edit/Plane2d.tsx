// 2D conditional sampling: drag a line over the data; the worker returns samples that keep the dragged
// projection (or coordinate) fixed. Shown in the model's normalised coordinates, like the sample view.
import { useEffect, useId, useRef } from 'react';
import { fitCanvas } from '../../render/hidpi';
import { readPalette } from '../../render/palette';
import { clear, clipTo, drawFrame, drawPoints, px, py, squareFrame, type Frame } from '../../render/plot2d';
import type { EditConstraint2d, EditReply } from '../../worker/protocol';
import type { Mode2d } from '../../state/edit/request';
import { constraintFromDrag, lineInSquare, nudgeConstraint } from './constraint2d';
import { formatTime } from './strip';

function drawLine(ctx: CanvasRenderingContext2D, f: Frame, c: EditConstraint2d, colour: string): void {
  const seg = lineInSquare(c, f.extent);
  if (!seg) return;
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(px(f, seg[0][0]), py(f, seg[0][1]));
  ctx.lineTo(px(f, seg[1][0]), py(f, seg[1][1]));
  ctx.stroke();
}

/** The data, the constraint's line and the samples (the last iterate) in one frame. */
function drawScene(canvas: HTMLCanvasElement, extent: number, data: Float32Array | null, constraint: EditConstraint2d | null,
  samples: Float32Array | null, label?: string): void {
  const s = fitCanvas(canvas);
  if (!s) return;
  const { ctx, width, height } = s;
  const pal = readPalette();
  clear(ctx, width, height, pal);
  const f = squareFrame(0, 0, width, height, extent, 4);
  drawFrame(ctx, f, pal, label);
  ctx.save();
  clipTo(ctx, f);
  if (data) drawPoints(ctx, f, data, pal.data, width > 200 ? 1.6 : 1);
  if (constraint) drawLine(ctx, f, constraint, pal.multistep);
  if (samples) drawPoints(ctx, f, samples, pal.oneStep, width > 200 ? 2 : 1.2);
  ctx.restore();
}

export function Plane2d({ extent, data, mode, constraint, reply, busy, onConstraint }: {
  extent: number;
  data: Float32Array | null;
  mode: Mode2d;
  constraint: EditConstraint2d | null;
  reply: EditReply | null;
  busy: boolean;
  onConstraint: (c: EditConstraint2d) => void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const drag = useRef<{ from: [number, number]; to: [number, number] } | null>(null);
  /** A constraint being set with the arrow keys; Enter samples with it. */
  const keyed = useRef<EditConstraint2d | null>(null);
  const hintId = useId();
  const result = reply && (reply.task === 'fix2d' || reply.task === 'line2d') ? reply.result : null;

  const redraw = () => {
    if (!ref.current) return;
    const live = drag.current ? constraintFromDrag(mode, drag.current.from, drag.current.to) : keyed.current ?? constraint;
    drawScene(ref.current, extent, data, live, drag.current || keyed.current ? null : result);
  };
  useEffect(() => {
    keyed.current = null;
    redraw();
  }, [extent, data, constraint, result, mode]);

  const world = (e: React.PointerEvent<HTMLCanvasElement>): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    const f = squareFrame(0, 0, r.width, r.height, extent, 4);
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    return [((x - f.x) / f.size) * 2 * extent - extent, extent - ((y - f.y) / f.size) * 2 * extent];
  };

  return (
    <>
      <span id={hintId} className="visually-hidden">Or from the keyboard: Up and Down move the line, Left and Right turn it (or move x), Enter samples.</span>
      <canvas
        ref={ref}
        className="edit-plane"
        aria-label="Conditional sampling canvas: drag a line"
        aria-describedby={hintId}
        role="application"
        tabIndex={0}
        style={{ cursor: busy ? 'progress' : 'crosshair' }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            e.stopPropagation(); // Space is also the page's Train/Pause key
            const c = keyed.current;
            if (c && !busy) {
              keyed.current = null;
              onConstraint(c);
            }
            return;
          }
          const next = nudgeConstraint(mode, keyed.current ?? constraint, e.key, extent);
          if (!next) return;
          // Arrows here place the line; they must not also step the training (the page's shortcut).
          e.preventDefault();
          e.stopPropagation();
          keyed.current = next;
          redraw();
        }}
        onPointerDown={(e) => {
          if (busy) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          const p = world(e);
          drag.current = { from: p, to: p };
          redraw();
        }}
        onPointerMove={(e) => {
          if (!drag.current) return;
          drag.current.to = world(e);
          redraw();
        }}
        onPointerUp={() => {
          const d = drag.current;
          drag.current = null;
          if (d) onConstraint(constraintFromDrag(mode, d.from, d.to));
          redraw();
        }}
      />
    </>
  );
}

/** Small multiples: the samples after each projected step, labelled with t_n. */
export function PlaneSteps({ extent, data, reply }: { extent: number; data: Float32Array | null; reply: EditReply }) {
  return (
    <div className="edit-plane-steps" aria-label="Conditional sampling steps">
      {reply.iterates.map((x, n) => (
        <MiniFrame key={n} extent={extent} data={data} samples={x} label={`t ${formatTime(reply.times[n])}`} />
      ))}
    </div>
  );
}

function MiniFrame({ extent, data, samples, label }: { extent: number; data: Float32Array | null; samples: Float32Array; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawScene(ref.current, extent, data, null, samples, label);
  }, [extent, data, samples, label]);
  return <canvas ref={ref} className="edit-plane-mini" role="img" aria-label={`Samples after the step at ${label}`} />;
}
