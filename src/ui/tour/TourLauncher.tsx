// The "Tour" button, and on a first visit a one-line offer in the page flow (it covers nothing).
import { useTour } from '../../state/tourStore';

export function TourLauncher() {
  const open = useTour((s) => s.open);
  const seen = useTour((s) => s.seen);
  const start = useTour((s) => s.start);
  return (
    <div className="tour-launcher">
      {!seen && !open && (
        <p className="tour-offer" role="note">
          New here? A short tour explains consistency models on this live run.{' '}
          <button type="button" className="primary" onClick={start}>Start the tour</button>{' '}
          <button type="button" className="secondary" onClick={() => useTour.getState().decline()}>No thanks</button>
        </p>
      )}
      <button type="button" className="secondary" aria-haspopup="dialog" aria-expanded={open} onClick={start} data-tour-button
        title="A guided tour of the views (8 stops, keyboard: arrows and Esc)">
        Tour
      </button>
    </div>
  );
}
