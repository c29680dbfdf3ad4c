// Messages for the user: link problems, failed uploads, recoverable errors. Each can be dismissed.
import { create } from 'zustand';

export type NoticeKind = 'info' | 'warning' | 'error';
export interface Notice {
  id: number;
  kind: NoticeKind;
  title: string;
  lines: string[];
  /** Offers a button in the notice (e.g. reset after a NaN loss). */
  action?: { label: string; run: () => void };
  /** Notices with the same topic replace each other. */
  topic?: string;
}

interface NoticeState {
  notices: Notice[];
  push: (n: Omit<Notice, 'id'>) => number;
  dismiss: (id: number) => void;
  dismissTopic: (topic: string) => void;
}

let nextId = 1;

export const useNotices = create<NoticeState>((set) => ({
  notices: [],
  push: (n) => {
    const id = nextId++;
    set((s) => ({ notices: [...s.notices.filter((o) => !n.topic || o.topic !== n.topic), { ...n, id }] }));
    return id;
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  dismissTopic: (topic) => set((s) => ({ notices: s.notices.filter((n) => n.topic !== topic) })),
}));

export const notify = (n: Omit<Notice, 'id'>) => useNotices.getState().push(n);
