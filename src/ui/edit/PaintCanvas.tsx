// A 28x28 image shown large for painting with the pointer: the inpainting mask over the reference digit
// (painted = regenerate, tinted), or a rough drawing in white ink for stroke-guided generation. From the
// keyboard a square brush cursor moves with the arrows: Space or Enter paints, Delete erases, Shift+arrows
// paint along the way.
import { useEffect, useId, useRef, useState } from 'react';
import { fitCanvas } from '../../render/hidpi';
import { readPalette } from '../../render/palette';
import { drawGrey } from './draw';
import { inkToSigned } from '../../state/edit/request';
import { cellAt, cursorAfterKey, paintDisc, paintSegment } from './paint';

export function PaintCanvas({ label, side, grid, kind, background, brush, version, onPainted }: {
  label: string;
  side: number;
  /** Mutated in place while painting; `version` changes when the owner replaces or clears it. */
  grid: Uint8Array | Float32Array;
  kind: 'mask' | 'ink';
  background: Float32Array | null;
  brush: number;
  version: number;
  onPainted: () => void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const last = useRef<[number, number] | null>(null);
  const erase = useRef(false);
  const cursor = useRef<[number, number]>([Math.floor(side / 2), Math.floor(side / 2)]);
  const [focused, setFocused] = useState(false);
  const hintId = useId();

  const redraw = () => {
    const canvas = ref.current;
    const s = canvas && fitCanvas(canvas);
    if (!s) return;
    const { ctx, width } = s;
    const pal = readPalette();
    const cell = width / side;
    if (kind === 'ink') drawGrey(ctx, inkToSigned(grid), side, 0, 0, width);
    else {
      drawGrey(ctx, background ?? new Float32Array(side * side).fill(-1), side, 0, 0, width);
      ctx.fillStyle = pal.accent;
      ctx.globalAlpha = 0.45;
      for (let k = 0; k < side * side; k++) if (grid[k] >= 0.5) ctx.fillRect((k % side) * cell, Math.floor(k / side) * cell, cell, cell);
      ctx.globalAlpha = 1;
    }
    if (focused) {
      // The keyboard brush: its reach (the brush radius) around the cursor cell.
      const [cx, cy] = cursor.current;
      const r = Math.max(brush, 0.5) * cell;
      ctx.strokeStyle = pal.multistep;
      ctx.lineWidth = 2;
      ctx.strokeRect((cx + 0.5) * cell - r, (cy + 0.5) * cell - r, 2 * r, 2 * r);
    }
  };

  useEffect(redraw, [grid, background, version, kind, side, focused, brush]);

  const paintAtCursor = (value: number) => {
    const [cx, cy] = cursor.current;
    if (paintDisc(grid, side, cx + 0.5, cy + 0.5, brush, value)) onPainted();
    redraw();
  };

  const at = (e: React.PointerEvent<HTMLCanvasElement>): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    return cellAt((e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height, side);
  };
  const paint = (to: [number, number]) => {
    const from = last.current ?? to;
    last.current = to;
    if (paintSegment(grid, side, from, to, brush, erase.current ? 0 : 1)) redraw();
  };

  return (
    <>
      <span id={hintId} className="visually-hidden">Arrow keys move the brush, Space paints, Delete erases, Shift+arrows paint a line.</span>
      <canvas
        ref={ref}
        className="edit-paint"
        aria-label={label}
        aria-describedby={hintId}
        role="application"
        tabIndex={0}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onKeyDown={(e) => {
          const next = cursorAfterKey(cursor.current, e.key, side);
          const value = e.key === ' ' || e.key === 'Enter' ? 1 : e.key === 'Delete' || e.key === 'Backspace' ? 0 : null;
          if (!next && value === null) return;
          // These keys paint here; they must not also train or step (the page's shortcuts).
          e.preventDefault();
          e.stopPropagation();
          if (value !== null) return paintAtCursor(value);
          const from = cursor.current;
          cursor.current = next!;
          if (e.shiftKey && paintSegment(grid, side, [from[0] + 0.5, from[1] + 0.5], [next![0] + 0.5, next![1] + 0.5], brush, 1)) onPainted();
          redraw();
        }}
        onContextMenu={(e) => e.preventDefault()}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          erase.current = e.button === 2 || e.shiftKey;
          last.current = null;
          paint(at(e));
        }}
        onPointerMove={(e) => {
          if (last.current) paint(at(e));
        }}
        onPointerUp={() => {
          if (!last.current) return;
          last.current = null;
          onPainted();
        }}
      />
    </>
  );
}
