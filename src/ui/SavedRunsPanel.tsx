// Runs kept in this browser: each with its name, date, settings and latest samples; load or delete.
// The newest one not being trained is also offered at the top as "Resume run from step N".
import './savedRuns.css';
import { deleteSavedRun, resumeSavedRun, useSavedRuns } from '../state/savedRuns';
import { useRun } from '../state/runStore';
import type { SavedRunMeta } from '../state/runStorage';

const when = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The saved run to offer after a reload: the newest, unless it is the run on screen or training began. */
export function useResumeOffer(): SavedRunMeta | null {
  const latest = useSavedRuns((s) => s.runs[0] ?? null);
  const currentId = useSavedRuns((s) => s.currentId);
  const fresh = useRun((s) => s.step === 0 && !s.training);
  return latest && latest.id !== currentId && fresh ? latest : null;
}

export function ResumeOffer() {
  const offer = useResumeOffer();
  const resuming = useSavedRuns((s) => s.resuming);
  const configured = useRun((s) => s.configured);
  if (!offer) return null;
  return (
    <div className="resume-offer" role="region" aria-label="Resume a saved run">
      <button type="button" className="primary" disabled={resuming !== null || !configured} onClick={() => void resumeSavedRun(offer.id)}>
        Resume run from step {offer.step}
      </button>
      <span className="muted">{offer.name} · saved {when(offer.savedAt)}</span>
    </div>
  );
}

export function SavedRunsPanel() {
  const { status, runs, currentId, resuming } = useSavedRuns();
  const configured = useRun((s) => s.configured);
  return (
    <section className="panel saved-runs" aria-labelledby="saved-runs-title">
      <h2 id="saved-runs-title">Saved runs</h2>
      {status === 'unavailable' && <p className="hint">This browser keeps no runs for this page (private mode or blocked storage).</p>}
      {status === 'ready' && runs.length === 0 && <p className="hint">Runs are saved here as they train, and survive a reload.</p>}
      {runs.length > 0 && (
        <ul className="saved-run-list" aria-label="Saved runs">
          {runs.map((r) => (
            <li key={r.id} className="saved-run" aria-label={r.name} data-run-id={r.id}>
              {r.thumbnail ? <img src={r.thumbnail} alt={`Latest samples of ${r.name}`} width={48} height={48} /> : <span className="thumb-empty" aria-hidden="true" />}
              <div className="saved-run-text">
                <strong>{r.name}</strong>{r.id === currentId && <span className="muted"> (this run)</span>}
                <span className="muted">step {r.step} · {when(r.savedAt)}</span>
                <span className="muted saved-run-summary">{r.summary}</span>
              </div>
              <div className="saved-run-actions">
                {r.id !== currentId && (
                  <button type="button" disabled={resuming !== null || !configured} aria-label={`Load ${r.name} at step ${r.step}`}
                    onClick={() => void resumeSavedRun(r.id)}>Load</button>
                )}
                <button type="button" className="secondary" aria-label={`Delete saved run ${r.name} at step ${r.step}`}
                  onClick={() => void deleteSavedRun(r.id)}>Delete</button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
