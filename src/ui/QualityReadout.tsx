// The latest one-step SWD as a plain number, readable by screen readers and tests ("One-step SWD"), and
// in 2D the flow-map error against the exact ODE map (few-step-methods.md section 8).
// Before the first evaluation both show a dash, so the toolbar does not grow (and push the page down)
// when the first numbers arrive; the dashes carry no status role, so "One-step SWD" still means a value.
import { useConfig } from '../state/configStore';
import { useRun } from '../state/runStore';

const cells = (list?: { sigmaFrom: number; sigmaTo: number; error: number }[]) =>
  list ? `\nPer map, sigma -> sigma': ${list.map((c) => `${+c.sigmaFrom.toPrecision(3)} -> ${+c.sigmaTo.toPrecision(3)}: ${c.error.toPrecision(3)}`).join('; ')}` : '';

const SWD_TITLE = 'Sliced Wasserstein distance of one-step samples to the data (lower is better)';
const FME_TITLE = 'Flow-map error: RMS distance / sigma_data between the model\'s map and the exact ODE map of the data mixture, on fixed points';

export function QualityReadout() {
  const q = useRun((s) => s.latestQuality);
  const image = useConfig((s) => s.config.dataset === 'mnist');
  if (image || q?.image) return null; // digits report FD in their own panel
  if (!q) {
    return (
      <>
        <div className="counter" title={`${SWD_TITLE}; measured at each evaluation`}>
          <span className="counter-label">one-step SWD</span><span className="counter-value">–</span>
        </div>
        <div className="counter" title={`${FME_TITLE}; measured at each evaluation`}>
          <span className="counter-label">flow-map error</span><span className="counter-value">–</span>
        </div>
      </>
    );
  }
  return (
    <>
      <div className="counter" title={SWD_TITLE}>
        <label className="counter-label" htmlFor="one-step-swd">one-step SWD</label>
        <output id="one-step-swd" aria-label="One-step SWD" className="counter-value">{q.swd1.toPrecision(3)}</output>
      </div>
      {q.fme1 !== undefined && Number.isFinite(q.fme1) && (
        <div className="counter"
          title={`${FME_TITLE}. One step from sigma = T to the data end: ${q.fme1.toPrecision(3)}; mean over sigma in {T, 10, 2, 0.5} to the data end${q.fmeMean !== undefined ? ` (and to sigma/4 for methods with maps between any times): ${q.fmeMean.toPrecision(3)}` : ''}. Lower is better; 0 is the exact flow map.${cells(q.fmeCells)}`}>
          <label className="counter-label" htmlFor="flow-map-error">flow-map error</label>
          <output id="flow-map-error" aria-label="Flow-map error" className="counter-value">{q.fme1.toPrecision(3)}</output>
        </div>
      )}
    </>
  );
}
