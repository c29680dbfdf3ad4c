// Which map the flow-map view draws: the start and end noise levels the user picked (null: the one-step map,
// from the largest sigma to the data end). Plain UI state; the data come with each quality report.
import { create } from 'zustand';
import type { FlowMapView } from '../core/methods/flowMapError';

export interface FlowMapSelection {
  sigmaFrom: number | null;
  sigmaTo: number | null;
  select: (patch: { sigmaFrom?: number | null; sigmaTo?: number | null }) => void;
}

export const useFlowMap = create<FlowMapSelection>((set) => ({
  sigmaFrom: null,
  sigmaTo: null,
  select: (patch) => set(patch),
}));

export type FlowMapViewCell = FlowMapView['cells'][number];

const nearest = (sigmas: readonly number[], s: number, among: number[]) =>
  among.reduce((best, i) => (Math.abs(Math.log(sigmas[i] / s)) < Math.abs(Math.log(sigmas[best] / s)) ? i : best), among[0]);

/**
 * The cell to draw: the picked levels (nearest on the view's ladder) where the method has that map; the end
 * falls back to the data end (a 'data-end' method has no other, and an end must lie below the start).
 */
export function drawnCell(view: FlowMapView, sel: Pick<FlowMapSelection, 'sigmaFrom' | 'sigmaTo'>): FlowMapViewCell {
  const last = view.sigmas.length - 1;
  const starts = Array.from({ length: last }, (_, i) => i);
  const from = sel.sigmaFrom === null ? 0 : nearest(view.sigmas, sel.sigmaFrom, starts);
  const ends = Array.from({ length: last - from }, (_, k) => from + 1 + k);
  const to = view.jumps === 'any' && sel.sigmaTo !== null ? nearest(view.sigmas, sel.sigmaTo, ends) : last;
  return view.cells.find((c) => c.from === from && c.to === to) ?? view.cells.find((c) => c.from === from && c.to === last)!;
}

/** The one-step cell (largest sigma to the data end): the number the quality readout shows. */
export const oneStepCell = (view: FlowMapView) => view.cells.find((c) => c.from === 0 && c.to === view.sigmas.length - 1)!;
