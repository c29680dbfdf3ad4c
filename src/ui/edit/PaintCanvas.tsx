// A 28x28 image shown large for painting with the pointer: the inpainting mask over the reference digit
// (painted = regenerate, tinted), or a rough drawing in white ink for stroke-guided generation.
import { useEffect, useRef } from 'react';
import { fitCanvas } from '../../render/hidpi';
import { readPalette } from '../../render/palette';
import { drawGrey } from './draw';
import { inkToSigned } from '../../state/edit/request';
import { cellAt, paintSegment } from './paint';

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

  const redraw = () => {
    const canvas = ref.current;
    const s = canvas && fitCanvas(canvas);
    if (!s) return;
    const { ctx, width } = s;
    const pal = readPalette();
    if (kind === 'ink') {
      drawGrey(ctx, inkToSigned(grid), side, 0, 0, width);
      return;
    }
    drawGrey(ctx, background ?? new Float32Array(side * side).fill(-1), side, 0, 0, width);
    const cell = width / side;
    ctx.fillStyle = pal.accent;
    ctx.globalAlpha = 0.45;
    for (let k = 0; k < side * side; k++) if (grid[k] >= 0.5) ctx.fillRect((k % side) * cell, Math.floor(k / side) * cell, cell, cell);
    ctx.globalAlpha = 1;
  };

  useEffect(redraw, [grid, background, version, kind, side]);

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
    <canvas
      ref={ref}
      className="edit-paint"
      aria-label={label}
      role="img"
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
  );
}
