// The 2D editing constraint from a drag on the canvas, in the model's normalised coordinates: a line
// through the two points keeps the projection n . p = value (n normal to the drag), or a fixed x / y.
import type { Mode2d } from '../../state/edit/request';
import type { EditConstraint2d } from '../../worker/protocol';

/** Drags shorter than this (in world units) define no direction: a line mode falls back to fixing x. */
const MIN_DRAG = 1e-6;

export function constraintFromDrag(mode: Mode2d, from: [number, number], to: [number, number]): EditConstraint2d {
  if (mode === 'fix-x') return { kind: 'fix', axis: 0, value: to[0] };
  if (mode === 'fix-y') return { kind: 'fix', axis: 1, value: to[1] };
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  if (Math.hypot(dx, dy) < MIN_DRAG) return { kind: 'fix', axis: 0, value: from[0] };
  // n is the drag direction turned by +90 degrees; the line is n . p = n . from.
  const angle = Math.atan2(dx, -dy);
  return { kind: 'line', angle, value: Math.cos(angle) * from[0] + Math.sin(angle) * from[1] };
}

/** Unit normal n and value c of the constraint as the line n . p = c. */
export function normalForm(c: EditConstraint2d): { n: [number, number]; value: number } {
  if (c.kind === 'fix') return { n: c.axis === 0 ? [1, 0] : [0, 1], value: c.value };
  return { n: [Math.cos(c.angle), Math.sin(c.angle)], value: c.value };
}

/** Largest |n . p - c| over points stored [x0, y0, x1, y1, ...]. */
export function maxViolation(c: EditConstraint2d, points: ArrayLike<number>): number {
  const { n, value } = normalForm(c);
  let worst = 0;
  for (let i = 0; i + 1 < points.length; i += 2) worst = Math.max(worst, Math.abs(n[0] * points[i] + n[1] * points[i + 1] - value));
  return worst;
}

/** The two ends of the constraint's line inside the square [-extent, extent]^2, or null if it misses it. */
export function lineInSquare(c: EditConstraint2d, extent: number): [[number, number], [number, number]] | null {
  const { n, value } = normalForm(c);
  const p0: [number, number] = [n[0] * value, n[1] * value];
  const d: [number, number] = [-n[1], n[0]];
  // Clip p0 + s d to the square (Liang-Barsky on both axes).
  let lo = -Infinity;
  let hi = Infinity;
  for (let k = 0; k < 2; k++) {
    if (Math.abs(d[k]) < 1e-12) {
      if (Math.abs(p0[k]) > extent) return null;
      continue;
    }
    const a = (-extent - p0[k]) / d[k];
    const b = (extent - p0[k]) / d[k];
    lo = Math.max(lo, Math.min(a, b));
    hi = Math.min(hi, Math.max(a, b));
  }
  if (!(hi >= lo)) return null;
  return [[p0[0] + lo * d[0], p0[1] + lo * d[1]], [p0[0] + hi * d[0], p0[1] + hi * d[1]]];
}

export function describeConstraint(c: EditConstraint2d): string {
  if (c.kind === 'fix') return `${c.axis === 0 ? 'x' : 'y'} = ${c.value.toFixed(3)}`;
  const deg = (c.angle * 180) / Math.PI;
  return `n . p = ${c.value.toFixed(3)}, n at ${deg.toFixed(1)} degrees`;
}

/** Keyboard steps for the constraint: a move is this share of the half-width, a turn this many degrees. */
const MOVE_SHARE = 0.05;
const TURN_DEGREES = 5;

/**
 * The constraint after an arrow key, so the canvas works without a pointer: Up/Down move a line (or y)
 * along its normal, Left/Right turn a line (or move x). With no constraint yet, the first key makes one
 * through the centre (a horizontal line, or x = 0 / y = 0). null for keys that do nothing here.
 */
export function nudgeConstraint(mode: Mode2d, c: EditConstraint2d | null, key: string, extent: number): EditConstraint2d | null {
  if (!['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'].includes(key)) return null;
  const step = MOVE_SHARE * extent;
  const sign = key === 'ArrowUp' || key === 'ArrowRight' ? 1 : -1;
  if (mode === 'fix-x' || mode === 'fix-y') {
    const axis = mode === 'fix-x' ? 0 : 1;
    const start = c?.kind === 'fix' && c.axis === axis ? c.value : null;
    if (start === null) return { kind: 'fix', axis, value: 0 };
    const along = axis === 0 ? key === 'ArrowLeft' || key === 'ArrowRight' : key === 'ArrowUp' || key === 'ArrowDown';
    return along ? { kind: 'fix', axis, value: Math.max(-extent, Math.min(extent, start + sign * step)) } : c;
  }
  if (c?.kind !== 'line') return { kind: 'line', angle: Math.PI / 2, value: 0 };
  if (key === 'ArrowUp' || key === 'ArrowDown') return { ...c, value: Math.max(-extent, Math.min(extent, c.value + sign * step)) };
  return { ...c, angle: c.angle - (sign * TURN_DEGREES * Math.PI) / 180 };
}
