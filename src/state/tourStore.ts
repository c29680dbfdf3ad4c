// The guided tour's state: open or not, which stop, and whether this browser has seen it (so the offer
// is made once). Storage can fail (privacy settings, quota): the tour then works and is offered again.
import { create } from 'zustand';

const SEEN_KEY = 'cm:tour-seen';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function defaultStore(): Store | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function readTourSeen(store: Store | null = defaultStore()): boolean {
  try {
    return store?.getItem(SEEN_KEY) === '1';
  } catch {
    return false;
  }
}

export function writeTourSeen(store: Store | null = defaultStore()): void {
  try {
    store?.setItem(SEEN_KEY, '1');
  } catch {
    /* not remembered: the offer comes back next visit */
  }
}

export interface TourState {
  open: boolean;
  index: number;
  /** Seen (or declined) in this browser: no first-visit offer. */
  seen: boolean;
  start(): void;
  close(): void;
  /** Moves to stop `index`, clamped to [0, count - 1]. */
  go(index: number, count: number): void;
  decline(): void;
}

export const useTour = create<TourState>((set) => ({
  open: false,
  index: 0,
  seen: readTourSeen(),
  start: () => {
    writeTourSeen();
    set({ open: true, index: 0, seen: true });
  },
  close: () => set({ open: false }),
  go: (index, count) => set({ index: Math.max(0, Math.min(count - 1, index)) }),
  decline: () => {
    writeTourSeen();
    set({ seen: true });
  },
}));
