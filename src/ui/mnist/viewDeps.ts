// Draw and dependency functions of the image views. They must keep their identity across renders (the
// render loop re-registers a canvas whenever they change), so per-grid functions are cached by index.
import type { DepsFn, DrawFn } from '../../render/loop';
import { drawSampleGrid } from '../../render/digitViews';

export const imageViewDeps: DepsFn = ({ run }) => [run.snapshot, run.staticData, run.configuring, run.statusMessage, run.pretrainedRole];
export const stripDeps: DepsFn = ({ run, config }) => [run.snapshot, run.staticData, run.configuring, run.statusMessage, config.mode];
export const lossDeps: DepsFn = ({ run }) => [run.seriesVersion];
export const qualityDeps: DepsFn = ({ run, config }) => [run.seriesVersion, run.step, config.taus, config.evalEvery];

const gridDraws = new Map<number, DrawFn>();

export function sampleGridDraw(index: number): DrawFn {
  let d = gridDraws.get(index);
  if (!d) gridDraws.set(index, (d = drawSampleGrid(index)));
  return d;
}
