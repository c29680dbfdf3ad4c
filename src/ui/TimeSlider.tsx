// Log-scale slider over [eps, T] for the time cursor (the noised distribution p_t, or noised digits). For a run
// that trains f on a fixed grid (CD, fixed-N CT on 2D data) the grid times are tick marks the thumb snaps to,
// and a cursor between them says so: f there is the network's untrained in-between (cm/trainingGrid.ts).
import { useId, useMemo } from 'react';
import { fixedTrainingGrid, gridNeighbours, gridTimeLabel } from '../core/cm/trainingGrid';
import { METHOD_INFO } from '../core/methods/settings/index';
import { useConfig } from '../state/configStore';
import { useView } from '../state/viewStore';

export function TimeSlider({ label }: { label: string }) {
  const config = useConfig((s) => s.config);
  const { eps, T } = config;
  const t = useView((s) => s.cursorT);
  const listId = useId();
  const grid = useMemo(() => fixedTrainingGrid(config), [config]);
  const near = grid ? gridNeighbours(grid, t) : null;
  const toU = (v: number) => Math.log(v / eps) / Math.log(T / eps);
  const fromU = (u: number) => eps * (T / eps) ** u;
  const setT = (v: number) => useView.getState().setCursorT(Number(v.toPrecision(4)));
  return (
    <span className="scrubber-group">
      <label className="scrubber">
        <span>{label} = <strong>{t < 1 ? t.toPrecision(2) : t.toFixed(1)}</strong></span>
        <input type="range" min={0} max={1000} value={Math.round(1000 * Math.min(1, Math.max(0, toU(t))))} aria-label="Time cursor t"
          list={grid ? listId : undefined} onChange={(e) => setT(fromU(Number(e.target.value) / 1000))} />
        {grid && (
          <datalist id={listId}>
            {Array.from(grid, (g) => <option key={g} value={Math.round(1000 * toU(g))} />)}
          </datalist>
        )}
      </label>
      {near && (
        <span className="muted" aria-label="Time cursor note">
          t is between the grid times {gridTimeLabel(near.lo)} and {gridTimeLabel(near.hi)}: {METHOD_INFO[config.mode].label} trains f only at grid times (the ticks).{' '}
          <button type="button" className="link" onClick={() => setT(near.nearest)}>Go to {gridTimeLabel(near.nearest)}</button>
        </span>
      )}
    </span>
  );
}
