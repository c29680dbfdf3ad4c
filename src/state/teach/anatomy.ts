// "Anatomy of a step": asks the worker to take the run's next training step apart and keeps the answer
// and the stage the user is looking at. Looking never changes the run; Apply takes exactly that step.
import { create } from 'zustand';
import type { AnatomyReply } from '../../worker/protocol';
import { notify } from '../notices';
import { useRun } from '../runStore';
import { session } from '../session';

export const ANATOMY_ROWS = 3;
export const ANATOMY_MAX_PICKS = 3;

interface AnatomyState {
  open: boolean;
  stage: number;
  result: AnatomyReply | null;
  /** Data points (normalised, [x, y, ...]) put into the first rows; empty: the batch's own first rows. */
  picked: number[];
  busy: boolean;
  error: string | null;
}

export const useAnatomy = create<AnatomyState>(() => ({ open: false, stage: 0, result: null, picked: [], busy: false, error: null }));

async function request(apply: boolean): Promise<void> {
  const { picked } = useAnatomy.getState();
  useAnatomy.setState({ busy: true, error: null });
  try {
    const r = await session().client.send({ type: 'anatomy', rows: ANATOMY_ROWS, picked: picked.length ? Float32Array.from(picked) : undefined, apply });
    if (!r.anatomy) throw new Error('the worker sent no step');
    useAnatomy.setState((s) => ({ result: r.anatomy!, stage: apply ? s.stage : 0 }));
    if (apply) notify({ kind: 'info', topic: 'anatomy', title: `Applied the step shown: the run is at step ${r.anatomy.step + 1}`, lines: [] });
  } catch (err) {
    useAnatomy.setState({ error: (err as Error).message });
  } finally {
    useAnatomy.setState({ busy: false });
  }
}

/** Opens the view on the run's next step (pausing training: the step shown must be the next one). */
export async function openAnatomy(): Promise<void> {
  useAnatomy.setState({ open: true, stage: 0 });
  if (useRun.getState().training) await session().pause();
  await request(false);
}

export const closeAnatomy = () => useAnatomy.setState({ open: false });
export const refreshAnatomy = () => request(false);
export const applyAnatomyStep = () => request(true);

export function setStage(stage: number, count: number): void {
  useAnatomy.setState({ stage: Math.max(0, Math.min(count - 1, stage)) });
}

/** Adds a data point to follow (the oldest pick goes when there are already as many as rows). */
export async function pickPoint(x: number, y: number): Promise<void> {
  const p = useAnatomy.getState().picked;
  const next = [...p, x, y].slice(-2 * ANATOMY_MAX_PICKS);
  useAnatomy.setState({ picked: next });
  await request(false);
}

/** Picks points at random from the data sample on screen (for keyboard users as much as for variety). */
export async function pickRandomPoints(data: Float32Array, count = ANATOMY_MAX_PICKS): Promise<void> {
  const n = Math.floor(data.length / 2);
  if (n === 0) return;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const k = Math.floor(Math.random() * n);
    out.push(data[2 * k], data[2 * k + 1]);
  }
  useAnatomy.setState({ picked: out });
  await request(false);
}

export async function clearPicks(): Promise<void> {
  useAnatomy.setState({ picked: [] });
  await request(false);
}
