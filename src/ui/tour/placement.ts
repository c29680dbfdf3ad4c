// Where the tour's card goes: beside the highlighted view when there is room (right, left, below, above),
// otherwise in the bottom corner. Pure; viewport coordinates.

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export type Side = 'right' | 'left' | 'below' | 'above' | 'corner';

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

export function placeCard(anchor: Box | null, viewport: { width: number; height: number }, card: { width: number; height: number }, margin = 12):
  { left: number; top: number; side: Side } {
  const maxLeft = Math.max(margin, viewport.width - card.width - margin);
  const maxTop = Math.max(margin, viewport.height - card.height - margin);
  const corner = { left: maxLeft, top: maxTop, side: 'corner' as const };
  if (!anchor) return corner;
  const right = anchor.left + anchor.width;
  const bottom = anchor.top + anchor.height;
  if (right + margin + card.width <= viewport.width - margin) return { left: right + margin, top: clamp(anchor.top, margin, maxTop), side: 'right' };
  if (anchor.left - margin - card.width >= margin) return { left: Math.min(maxLeft, anchor.left - margin - card.width), top: clamp(anchor.top, margin, maxTop), side: 'left' };
  if (bottom + margin + card.height <= viewport.height - margin) return { left: clamp(anchor.left, margin, maxLeft), top: bottom + margin, side: 'below' };
  if (anchor.top - margin - card.height >= margin) return { left: clamp(anchor.left, margin, maxLeft), top: anchor.top - margin - card.height, side: 'above' };
  return corner;
}
