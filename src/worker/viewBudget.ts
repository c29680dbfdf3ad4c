// How long the training loop waits between view snapshots. Views take at most VIEW_TIME_SHARE of the
// worker's time while training: on a CPU the default 2D views cost about two training steps per snapshot,
// so at the page's 100 ms interval they took a third of the time (a third fewer steps per second). A cheap
// snapshot (a GPU, small views) keeps the interval the page asks for.
export const VIEW_TIME_SHARE = 0.2;

/** Milliseconds from the end of one snapshot to the next: the asked interval, or longer when snapshots cost. */
export function snapshotGapMs(askedMs: number, lastSnapshotMs: number): number {
  return Math.max(askedMs, (lastSnapshotMs * (1 - VIEW_TIME_SHARE)) / VIEW_TIME_SHARE);
}
