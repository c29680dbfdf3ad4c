// Painting on a small image (a 28x28 mask or a stroke drawing) from pointer positions on a canvas shown
// large. Pure: the canvas component passes positions in [0, 1]^2 of its box.

/** The cell (column, row) under a position in [0, 1]^2 of the canvas, as fractional cell coordinates. */
export function cellAt(u: number, v: number, side: number): [number, number] {
  return [u * side, v * side];
}

/**
 * Sets every cell whose centre lies within `radius` cells of (cx, cy) to `value` (in place); returns
 * whether anything changed, so callers can skip a redraw.
 */
export function paintDisc(grid: Uint8Array | Float32Array, side: number, cx: number, cy: number, radius: number, value: number): boolean {
  let changed = false;
  const r = Math.max(radius, 0.5);
  for (let row = Math.max(0, Math.floor(cy - r)); row <= Math.min(side - 1, Math.ceil(cy + r)); row++) {
    for (let col = Math.max(0, Math.floor(cx - r)); col <= Math.min(side - 1, Math.ceil(cx + r)); col++) {
      if (Math.hypot(col + 0.5 - cx, row + 0.5 - cy) > r) continue;
      const k = row * side + col;
      if (grid[k] !== value) {
        grid[k] = value;
        changed = true;
      }
    }
  }
  return changed;
}

/** Paints discs along the segment (x0, y0) -> (x1, y1), half a cell apart, so fast drags leave no gaps. */
export function paintSegment(
  grid: Uint8Array | Float32Array, side: number, from: [number, number], to: [number, number], radius: number, value: number,
): boolean {
  const n = Math.max(1, Math.ceil(Math.hypot(to[0] - from[0], to[1] - from[1]) * 2));
  let changed = false;
  for (let k = 0; k <= n; k++) {
    const a = k / n;
    changed = paintDisc(grid, side, from[0] + a * (to[0] - from[0]), from[1] + a * (to[1] - from[1]), radius, value) || changed;
  }
  return changed;
}

export function countPainted(grid: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < grid.length; i++) if (grid[i] >= 0.5) n++;
  return n;
}

const CURSOR_MOVES: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** The keyboard brush's cell after an arrow key (clamped to the image), or null for other keys. */
export function cursorAfterKey(cursor: [number, number], key: string, side: number): [number, number] | null {
  const move = CURSOR_MOVES[key];
  if (!move) return null;
  const clamp = (v: number) => Math.max(0, Math.min(side - 1, v));
  return [clamp(cursor[0] + move[0]), clamp(cursor[1] + move[1])];
}
