// One registry for the transport actions: the operation, its keyboard shortcut and its label, so buttons
// and keys reach the same code.
import { useEffect } from 'react';
import { session } from '../state/session';

export interface Action {
  id: string;
  /** KeyboardEvent.key values that trigger it. */
  keys: string[];
  /** Shown in tooltips. */
  shortcut: string;
  run: () => void;
}

export const ACTIONS: Action[] = [
  { id: 'toggle', keys: [' '], shortcut: 'Space', run: () => void session().toggleTraining() },
  { id: 'step', keys: ['ArrowRight'], shortcut: '→', run: () => void session().step(1) },
  { id: 'reset', keys: ['r', 'R'], shortcut: 'R', run: () => void session().reset() },
];

export const shortcutOf = (id: string) => ACTIONS.find((a) => a.id === id)?.shortcut ?? '';

/** Typing in a field, or using a control that listens to these keys itself, never triggers a shortcut. */
export function isTypingTarget(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT' || tag === 'INPUT') return true;
  // Space on a focused button already clicks it; a second action would undo that click.
  return key === ' ' && (tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A');
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || (e.repeat && e.key !== 'ArrowRight')) return;
      if (isTypingTarget(e.target, e.key)) return;
      const action = ACTIONS.find((a) => a.keys.includes(e.key));
      if (!action) return;
      e.preventDefault();
      action.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
