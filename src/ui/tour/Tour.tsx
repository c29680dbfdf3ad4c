// The guided tour: a small dialog named "Tour" beside the real view it talks about, while a real run
// trains. Keyboard: Next/Back buttons, arrow keys, Esc closes; Tab stays inside; focus goes back to where
// it was. The page is not covered, so the views stay visible.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useConfig } from '../../state/configStore';
import { useRun } from '../../state/runStore';
import { session } from '../../state/session';
import { useTour } from '../../state/tourStore';
import { Formula } from '../Formula';
import { placeCard, type Side } from './placement';
import { TOUR_STOPS } from './stops';
import './tour.css';

const TARGET_CLASS = 'tour-target';
const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

function resolveAnchor(selector: string): HTMLElement | null {
  const el = document.querySelector<HTMLElement>(selector);
  return el?.closest<HTMLElement>('figure') ?? el;
}

const reducedMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

/** 2D: the tour talks about a run that trains (the quick default CD run); digits show the shipped model. */
function startTourRun(): () => void {
  const tryStart = (): boolean => {
    const run = useRun.getState();
    const { config } = useConfig.getState();
    if (config.dataset === 'mnist') return true;
    if (!run.configured || run.configuring) return false;
    if (!run.training && run.step < config.steps) void session().train();
    return true;
  };
  if (tryStart()) return () => undefined;
  const unsub = useRun.subscribe(() => {
    if (tryStart()) unsub();
  });
  return unsub;
}

export function Tour() {
  const open = useTour((s) => s.open);
  if (!open) return null;
  return <TourDialog />;
}

function TourDialog() {
  const index = useTour((s) => s.index);
  const config = useConfig((s) => s.config);
  const image = config.dataset === 'mnist';
  const stop = TOUR_STOPS[index];
  const count = TOUR_STOPS.length;
  const ctx = { config, image };
  const card = useRef<HTMLDivElement>(null);
  const nextRef = useRef<HTMLButtonElement>(null);
  const [pos, setPos] = useState<{ left: number; top: number; side: Side } | null>(null);

  const close = useCallback(() => useTour.getState().close(), []);
  const go = useCallback((i: number) => useTour.getState().go(i, count), [count]);
  const next = () => (index === count - 1 ? close() : go(index + 1));

  // Focus moves in on open and back to where it was on close.
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    nextRef.current?.focus();
    const stopRun = startTourRun();
    return () => {
      stopRun();
      // The first-visit offer's button is gone once the tour starts: the Tour button takes the focus back.
      const back = previous?.isConnected ? previous : document.querySelector<HTMLElement>('[data-tour-button]');
      back?.focus();
    };
  }, []);

  // Esc closes even when the pointer has moved focus onto the page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        close();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);

  // Highlight the stop's view, bring it into view, and keep the card beside it.
  const selector = stop.anchor(ctx);
  useLayoutEffect(() => {
    const target = resolveAnchor(selector);
    target?.classList.add(TARGET_CLASS);
    if (target) {
      // The sticky toolbar covers the top of the window: stop the view just below it.
      const toolbar = document.querySelector<HTMLElement>('.toolbar');
      const bar = toolbar && getComputedStyle(toolbar).position === 'sticky' ? toolbar.getBoundingClientRect().height : 0;
      target.style.scrollMarginTop = `${Math.round(bar) + 16}px`;
      target.scrollIntoView({ block: 'start', inline: 'nearest', behavior: reducedMotion() ? 'auto' : 'smooth' });
    }
    let frame = 0;
    const place = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const el = card.current;
        if (!el) return;
        const r = target?.getBoundingClientRect();
        const size = el.getBoundingClientRect();
        const viewport = { width: document.documentElement.clientWidth, height: window.innerHeight };
        setPos(placeCard(r ? { left: r.left, top: r.top, width: r.width, height: r.height } : null, viewport, { width: size.width, height: size.height }));
      });
    };
    place();
    window.addEventListener('scroll', place, true);
    window.addEventListener('resize', place);
    const settle = setTimeout(place, 400); // after a smooth scroll
    return () => {
      target?.classList.remove(TARGET_CLASS);
      target?.style.removeProperty('scroll-margin-top');
      cancelAnimationFrame(frame);
      clearTimeout(settle);
      window.removeEventListener('scroll', place, true);
      window.removeEventListener('resize', place);
    };
  }, [selector]);

  // Back disappears from the focus order on the first stop: keep focus inside.
  useEffect(() => {
    if (!card.current?.contains(document.activeElement)) nextRef.current?.focus();
  }, [index]);

  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      // Handled here so the page's own arrow shortcut (one training step) does not fire too.
      e.preventDefault();
      e.stopPropagation();
      if (e.key === 'ArrowRight') next();
      else go(index - 1);
    } else if (e.key === 'Tab') {
      const items = [...(card.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };

  const titleId = 'tour-stop-title';
  const bodyId = 'tour-stop-body';
  return (
    <div ref={card} role="dialog" aria-modal="true" aria-label="Tour" aria-describedby={bodyId} className={`tour-card tour-${pos?.side ?? 'corner'}`}
      style={pos ? { left: pos.left, top: pos.top } : { right: 12, bottom: 12 }} onKeyDown={onKeyDown}>
      <div className="tour-head">
        <span className="tour-progress">Tour · {index + 1} of {count}</span>
        <button type="button" className="icon tour-close" aria-label="Close the tour" onClick={close}>×</button>
      </div>
      <div id={bodyId} aria-live="polite">
        <h2 id={titleId} className="tour-title">{stop.title}</h2>
        <p className="tour-text">{stop.text(ctx)}</p>
        {/* Focusable, so a formula wider than the card can be scrolled from the keyboard. */}
        {stop.formula && <div className="tour-formula" tabIndex={0} role="group" aria-label="Formula"><Formula tex={stop.formula} display /></div>}
      </div>
      <div className="tour-nav">
        <button type="button" disabled={index === 0} onClick={() => go(index - 1)}>Back</button>
        <span className="tour-keys muted">← → Esc</span>
        <button ref={nextRef} type="button" className="primary" onClick={next}>{index === count - 1 ? 'Finish' : 'Next'}</button>
      </div>
    </div>
  );
}
