// The latest one-step SWD as a plain number, readable by screen readers and tests ("One-step SWD").
import { useRun } from '../state/runStore';

export function QualityReadout() {
  const q = useRun((s) => s.latestQuality);
  if (!q || q.image) return null; // digits report FD in their own panel
  return (
    <div className="counter" title="Sliced Wasserstein distance of one-step samples to the data (lower is better)">
      <label className="counter-label" htmlFor="one-step-swd">one-step SWD</label>
      <output id="one-step-swd" aria-label="One-step SWD" className="counter-value">{q.swd1.toPrecision(3)}</output>
    </div>
  );
}
