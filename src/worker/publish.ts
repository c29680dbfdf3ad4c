// What the worker sends about a run: the static view (data, teacher trajectories), snapshots,
// checkpoints and quality reports.
import type { QualityReport, TrainingSession } from '../core/run/session';
import { ProbeSet, computeSnapshot, teacherTrajectories } from '../core/run/views';
import { post, requireSession, w } from './context';

/** Images are costly to evaluate: fewer probes and short trajectories on the N = 18 grid. */
function probeCounts(s: TrainingSession): { probes: number; trajectories: number; points: number } {
  return s.dataset2d
    ? { probes: w.view.probeCount, trajectories: w.view.trajectoryCount, points: 48 }
    : { probes: Math.min(w.view.probeCount, 64), trajectories: Math.min(w.view.trajectoryCount, 2), points: 18 };
}

export async function sendStatic(): Promise<void> {
  const s = requireSession();
  const counts = probeCounts(s);
  w.probes = new ProbeSet(s, counts.probes, counts.trajectories);
  w.trajectories = await teacherTrajectories(s, w.probes, counts.points);
  const schedule = s.trainer?.scheduleAt() ?? null;
  post({
    type: 'static',
    dataShape: s.data.dataShape,
    data: w.probes.data.slice(),
    trajectoryTimes: w.trajectories?.times ?? new Float64Array(0),
    trajectoryStates: w.trajectories?.states ?? [],
    sigmas: schedule?.sigmas ?? new Float64Array(0),
    normalisation: s.dataset2d ? s.dataset2d.normalisation : null,
  });
}

export async function sendSnapshot(): Promise<void> {
  const s = requireSession();
  if (!s.trainer || !w.probes) return;
  const snap = await computeSnapshot(s, w.probes, w.trajectories, w.view);
  const transfer = [...snap.samples, ...snap.consistencyOutputs, snap.cursorMapped, snap.cursorNoised].map((a) => a.buffer);
  post({
    type: 'snapshot', version: ++w.snapshotVersion, step: s.step, samples: snap.samples, taus: s.config.taus,
    consistencyTimes: snap.consistencyTimes, consistencyInputs: snap.consistencyInputs.map((a) => a.slice()),
    consistencyOutputs: snap.consistencyOutputs, consistencySpread: snap.consistencySpread,
    cursorT: snap.cursorT, cursorNoised: snap.cursorNoised, cursorMapped: snap.cursorMapped,
  }, transfer);
}

/**
 * Sends the last known-good state of the consistency model (finite tensors, and a finite loss computed from
 * them); nothing while there is none. While a learned teacher trains there is no student: the run as it is.
 */
export async function sendCheckpoint(): Promise<void> {
  const s = requireSession();
  const good = s.trainer ? s.lastGoodCheckpoint() : null;
  if (s.trainer && !good) return;
  w.lastCheckpointBytes = await s.exportRunFile({ lastGood: good !== null });
  const copy = w.lastCheckpointBytes.slice();
  post({ type: 'checkpoint', step: good?.step ?? s.step, bytes: copy.buffer }, [copy.buffer]);
}

export async function sendQuality(): Promise<QualityReport | null> {
  const s = requireSession();
  if (!s.trainer) return null;
  const q = await s.evaluate(w.view.weights);
  post({ type: 'quality', ...q });
  return q;
}
