// The page's saved runs: joins the worker's checkpoints to the autosaver, keeps the list the panel shows,
// and resumes or deletes a saved run. Storage problems become one notice each; training never waits.
import { create } from 'zustand';
import type { SnapshotEvent, StaticEvent } from '../worker/protocol';
import { Autosaver, type AutosaveProblem } from './autosave';
import { openIndexedDbRunStorage } from './indexedDbRunStorage';
import { notify, useNotices } from './notices';
import type { RunStorage, SavedRunMeta } from './runStorage';
import { newestFirst } from './runStorage';
import { runFileSettings, runName, runSummary } from './savedRunDescription';
import { useRun } from './runStore';
import type { Session } from './session';

export interface SavedRunsState {
  /** 'unavailable': this browser keeps nothing for the page (private mode, blocked storage). */
  status: 'loading' | 'ready' | 'unavailable';
  runs: SavedRunMeta[];
  /** The id the current run is saved under. */
  currentId: string | null;
  /** A saved run being resumed (its id). */
  resuming: string | null;
}

export const useSavedRuns = create<SavedRunsState>(() => ({ status: 'loading', runs: [], currentId: null, resuming: null }));

interface Captured {
  snapshot: SnapshotEvent | null;
  staticData: StaticEvent | null;
  lossSteps: Float64Array;
  lossValues: Float64Array;
}

export interface SavedRunsOptions {
  /** Draws the latest samples as a PNG data URL (the UI's job). */
  thumbnail: (snapshot: SnapshotEvent | null, staticData: StaticEvent | null) => string | null;
  open?: () => Promise<RunStorage>;
  minIntervalMs?: number;
}

const PROBLEM_NOTICES: Record<AutosaveProblem, { title: string; lines: string[] }> = {
  unavailable: {
    title: 'Runs cannot be kept in this browser',
    lines: ['The browser refuses storage to this page (private mode or blocked site data), so a reload loses the run.',
      'Training goes on. Use Export weights (Share and keep) to keep a run as a file.'],
  },
  full: {
    title: 'Your run could not be saved: the browser\'s storage for this page is full',
    lines: ['Training goes on. Delete saved runs in the Saved runs panel, or use Export weights (Share and keep) to keep this run as a file.'],
  },
  failed: {
    title: 'Your run could not be saved in this browser',
    lines: ['Training goes on. Use Export weights (Share and keep) to keep this run as a file.'],
  },
};

let saver: Autosaver | null = null;
let connected: Session | null = null;

/** Starts autosaving the session's runs and lists the saved ones (once per session). */
export function connectSavedRuns(session: Session, o: SavedRunsOptions): Autosaver {
  if (saver && connected === session) return saver;
  connected = session;
  const storage = navigator.storage;
  const a = new Autosaver({
    open: o.open ?? (() => openIndexedDbRunStorage()),
    minIntervalMs: o.minIntervalMs,
    estimate: storage?.estimate ? () => storage.estimate() : undefined,
    capture: (): Captured => {
      const r = useRun.getState();
      return { snapshot: r.snapshot, staticData: r.staticData, lossSteps: r.loss.xs.slice(0, r.loss.length), lossValues: r.loss.ys.slice(0, r.loss.length) };
    },
    describe: (runFile, captured) => {
      const c = captured as Captured;
      const { config, points } = runFileSettings(runFile);
      return { name: runName(config), summary: runSummary(config), thumbnail: o.thumbnail(c.snapshot, c.staticData), config, points, lossSteps: c.lossSteps, lossValues: c.lossValues };
    },
    report: (kind, detail) => {
      if (kind === 'unavailable') useSavedRuns.setState({ status: 'unavailable' });
      const n = PROBLEM_NOTICES[kind];
      notify({ kind: 'warning', topic: 'autosave', title: n.title, lines: [...n.lines, `(${detail})`] });
    },
    onSaved: (meta) => useSavedRuns.setState((s) => ({ runs: [meta, ...s.runs.filter((r) => r.id !== meta.id)].sort(newestFirst) })),
    onEvicted: (meta) => {
      useSavedRuns.setState((s) => ({ runs: s.runs.filter((r) => r.id !== meta.id) }));
      notify({ kind: 'info', topic: 'autosave-evicted', title: `Storage was nearly full: the oldest saved run "${meta.name}" (step ${meta.step}) was deleted to keep the current one`, lines: [] });
    },
  });
  saver = a;
  useSavedRuns.setState({ currentId: a.runId });
  session.runLifecycle = {
    newRun: () => {
      a.newRun();
      useSavedRuns.setState({ currentId: a.runId });
    },
    continued: (run) => {
      a.continueRun(run.id, run.createdAt);
      useSavedRuns.setState({ currentId: run.id });
    },
  };
  session.client.on('checkpoint', (e) => a.offer(e.step, e.bytes, useRun.getState().training));
  // A hidden tab may be discarded without another event: write what is waiting now.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void a.flush();
  });
  window.addEventListener('pagehide', () => void a.flush());
  void refreshSavedRuns();
  return a;
}

export async function refreshSavedRuns(): Promise<void> {
  const storage = await saver?.store();
  if (!storage) return;
  try {
    useSavedRuns.setState({ runs: (await storage.list()).sort(newestFirst), status: 'ready' });
  } catch (e) {
    notify({ kind: 'warning', topic: 'autosave', title: 'The saved runs could not be listed', lines: [(e as Error).message] });
  }
}

/** Restores a saved run's settings and trainer state, ready to train on. */
export async function resumeSavedRun(id: string): Promise<boolean> {
  const storage = await saver?.store();
  if (!storage || !connected || useSavedRuns.getState().resuming) return false;
  useSavedRuns.setState({ resuming: id });
  try {
    const run = await storage.load(id);
    if (!run) throw new Error('it is no longer in this browser\'s storage');
    const problem = await connected.resume(run);
    if (problem) throw new Error(problem);
    useNotices.getState().dismissTopic('resume');
    notify({ kind: 'info', topic: 'resume', title: `Resumed "${run.name}" at step ${run.step}`, lines: ['Press Train to continue.'] });
    return true;
  } catch (e) {
    notify({ kind: 'error', topic: 'resume', title: 'The saved run could not be resumed', lines: [(e as Error).message] });
    return false;
  } finally {
    useSavedRuns.setState({ resuming: null });
  }
}

export async function deleteSavedRun(id: string): Promise<void> {
  const storage = await saver?.store();
  if (!storage) return;
  try {
    await storage.remove(id);
    useSavedRuns.setState((s) => ({ runs: s.runs.filter((r) => r.id !== id) }));
  } catch (e) {
    notify({ kind: 'error', topic: 'autosave', title: 'The saved run could not be deleted', lines: [(e as Error).message] });
  }
}
