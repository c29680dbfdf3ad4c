// Stop rules and Rewind for the main run. Checkpoints the worker sends (the run's start, evaluated steps,
// every few seconds, each pause) go into a small ring; Rewind restores one into the same run (same
// initialisation, same random streams from there on) and cuts the curves back to its step.
import { create } from 'zustand';
import type { QualityEvent, StopRules } from '../../worker/protocol';
import { notify } from '../notices';
import { useRun } from '../runStore';
import { session } from '../session';
import { CheckpointRing } from './checkpointRing';

export interface RewindPoint {
  step: number;
  /** One-step SWD (2D) or FD (digits) at that step, when it was evaluated. */
  quality: number | null;
}

interface RunControlState {
  rules: StopRules;
  points: RewindPoint[];
  rewinding: boolean;
}

export const useRunControl = create<RunControlState>(() => ({
  rules: { atStep: null, swdAtMost: null },
  points: [],
  rewinding: false,
}));

const ring = new CheckpointRing<QualityEvent>(10);
let installed = false;

const qualityValue = (q: QualityEvent | null) => (q ? (q.image ? q.image.fd1 : q.swd1) : null);

function publish(): void {
  useRunControl.setState({ points: ring.entries.map((e) => ({ step: e.step, quality: qualityValue(e.quality) })) });
}

/** Subscribes to the session's worker events once (idempotent; lives as long as the page). */
export function installRunControl(): void {
  if (installed) return;
  installed = true;
  const client = session().client;
  client.on('checkpoint', (e) => {
    const q = useRun.getState().latestQuality;
    // A restore answers with a checkpoint at the same step: keep that step's evaluation.
    const quality = q && q.step === e.step ? q : ring.find(e.step)?.quality ?? null;
    ring.add({ step: e.step, bytes: e.bytes, quality });
    publish();
  });
  client.on('stopped', (e) => {
    notify({ kind: 'info', topic: 'stop-rule', title: `Training paused: ${e.rule === 'step' ? 'the step you set was reached' : 'the target quality was reached'}`, lines: [e.message] });
  });
  // A respawned worker gets the rules again.
  client.on('ready', () => {
    const { rules } = useRunControl.getState();
    if (rules.atStep !== null || rules.swdAtMost !== null) void client.send({ type: 'setStopRules', rules }).catch(() => undefined);
  });
  useRun.subscribe((s, prev) => {
    // A new run (configure, reset, shipped model, imported weights) clears the history, and so the ring.
    if (s.seriesVersion !== prev.seriesVersion && s.loss.length === 0 && s.latestQuality === null && s.step === 0 && !useRunControl.getState().rewinding) {
      ring.clear();
      publish();
    } else if (s.step < prev.step) {
      // The run went back (a good state restored after a non-finite loss, Rewind): later checkpoints are void.
      ring.dropAfter(s.step);
      publish();
    }
  });
}

/** Sets the stop rules (null: off); the worker checks them and refuses bad values, changing nothing. */
export async function setStopRules(patch: Partial<StopRules>): Promise<boolean> {
  const rules = { ...useRunControl.getState().rules, ...patch };
  try {
    await session().client.send({ type: 'setStopRules', rules });
    useRunControl.setState({ rules });
    return true;
  } catch (err) {
    notify({ kind: 'error', topic: 'stop-rule', title: 'The stop rule was not set', lines: [(err as Error).message] });
    return false;
  }
}

/** Back to the checkpoint at `step` of this run; the curves after it are dropped. */
export async function rewindTo(step: number): Promise<void> {
  const entry = ring.find(step);
  if (!entry) {
    notify({ kind: 'error', topic: 'rewind', title: `No checkpoint at step ${step} to rewind to`, lines: [] });
    return;
  }
  const s = session();
  useRunControl.setState({ rewinding: true });
  try {
    if (useRun.getState().training) await s.pause();
    await s.client.send({ type: 'restore', checkpoint: entry.bytes.slice(0) });
    const run = useRun.getState();
    run.loss.truncateAfter(step);
    for (const series of Object.values(run.quality)) series.truncateAfter(step);
    ring.dropAfter(step);
    publish();
    useRun.setState({ step, latestQuality: entry.quality, seriesVersion: run.seriesVersion + 1, training: false });
    notify({ kind: 'info', topic: 'rewind', title: `Rewound to step ${step}`, lines: ['Same initialisation and the same random streams from there: training on repeats the same steps unless you change something.'] });
  } catch (err) {
    notify({ kind: 'error', topic: 'rewind', title: 'Rewind failed; the run is unchanged', lines: [(err as Error).message] });
  } finally {
    useRunControl.setState({ rewinding: false });
  }
}
