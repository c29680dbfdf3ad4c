// What the playground draws, computed from a session: the static picture of a run (data, teacher
// trajectories) and snapshots of what the model does now (samples from fixed probe noise, the
// consistency view along trajectories, the time cursor). Plain arrays only, ready to transfer.
import { Rng } from '../rng';
import type { SamplingNoise } from '../cm/sampling';
import { fixedTrainingGrid, isGridTime } from '../cm/trainingGrid';
import { pfOdeTrajectories, type Trajectories } from '../teacher/trajectories';
import { sampleSize } from '../tensorUtil';
import type { TrainingSession } from './session';

export interface ViewSettings {
  probeCount: number;
  trajectoryCount: number;
  consistencyTimes: number[];
  cursorT: number;
  weights: 'ema' | 'online';
}

/** Fixed inputs for snapshots: regenerated only when the run or the counts change. */
export class ProbeSet {
  readonly noise: SamplingNoise;
  readonly data: Float32Array;
  readonly cursorNoise: Float32Array;
  readonly trajectoryNoise: Float32Array;

  constructor(readonly session: TrainingSession, readonly probeCount: number, readonly trajectoryCount: number) {
    const c = session.config;
    const size = sampleSize(session.data.dataShape);
    const rng = new Rng(c.seed, 'probe');
    this.noise = { initial: rng.normals(probeCount * size), perTau: c.taus.map(() => rng.normals(probeCount * size)) };
    this.data = session.data.sample(probeCount, rng);
    this.cursorNoise = rng.normals(probeCount * size);
    this.trajectoryNoise = rng.normals(trajectoryCount * size);
  }
}

/** The teacher's PF-ODE trajectories; they pass through every time of a fixed training grid (for the arrows). */
export async function teacherTrajectories(session: TrainingSession, probes: ProbeSet, points = 48): Promise<Trajectories | null> {
  const D = session.teacher();
  if (!D || probes.trajectoryCount === 0) return null;
  const xT = Float32Array.from(probes.trajectoryNoise, (v) => v * session.config.T);
  return pfOdeTrajectories(D, xT, session.data.dataShape, session.config, points, fixedTrainingGrid(session.config) ?? []);
}

export interface Snapshot {
  /** Iterates of multistep sampling: [one-step, after tau_1, ...], each row-major [probeCount, ...dataShape]. */
  samples: Float32Array[];
  /** f(x_t, t) at the trajectory points for each consistency time: [timeIndex] -> [trajectoryCount, ...]. */
  consistencyTimes: number[];
  consistencyInputs: Float32Array[];
  consistencyOutputs: Float32Array[];
  /** Mean distance of f(x_t, t) to the trajectory's end, per consistency time (normalised units). */
  consistencySpread: number[];
  /** Time cursor: noised probe data at cursorT and f of it. */
  cursorT: number;
  cursorNoised: Float32Array;
  cursorMapped: Float32Array;
}

/** The trajectory time nearest t on the log scale, among those `allowed` admits. */
function nearestIndex(times: Float64Array, t: number, allowed: (time: number) => boolean): number {
  let best = -1;
  for (let i = 0; i < times.length; i++) {
    if (allowed(times[i]) && (best < 0 || Math.abs(Math.log(times[i] / t)) < Math.abs(Math.log(times[best] / t)))) best = i;
  }
  return Math.max(best, 0);
}

export async function computeSnapshot(session: TrainingSession, probes: ProbeSet, traj: Trajectories | null, view: ViewSettings): Promise<Snapshot> {
  const c = session.config;
  const shape = session.data.dataShape;
  const params = session.samplingParams(view.weights);
  const samples = await session.sample(probes.noise, view.weights);
  const consistencyTimes: number[] = [];
  const consistencyInputs: Float32Array[] = [];
  const consistencyOutputs: Float32Array[] = [];
  const consistencySpread: number[] = [];
  if (traj) {
    const end = traj.states[traj.states.length - 1];
    const size = sampleSize(shape);
    const count = end.length / size;
    // A run that trains f on a fixed grid is shown at the grid times nearest the wanted ones (cm/trainingGrid.ts).
    const grid = fixedTrainingGrid(c);
    const allowed = grid ? (t: number) => isGridTime(grid, t) : () => true;
    const indices = view.consistencyTimes.map((wanted) => nearestIndex(traj.times, Math.min(c.T, Math.max(c.eps, wanted)), allowed));
    for (const i of new Set(indices)) {
      const t = traj.times[i];
      const out = await session.mapToData(params, traj.states[i], new Float64Array(count).fill(t));
      let spread = 0;
      for (let k = 0; k < count; k++) {
        let d = 0;
        for (let j = 0; j < size; j++) d += (out[k * size + j] - end[k * size + j]) ** 2;
        spread += Math.sqrt(d);
      }
      consistencyTimes.push(t);
      consistencyInputs.push(traj.states[i]);
      consistencyOutputs.push(out);
      consistencySpread.push(spread / count);
    }
  }
  const tCur = Math.min(c.T, Math.max(c.eps, view.cursorT));
  const noised = Float32Array.from(probes.data, (v, i) => v + tCur * probes.cursorNoise[i]);
  const n = noised.length / sampleSize(shape);
  const mapped = await session.mapToData(params, noised, new Float64Array(n).fill(tCur));
  return { samples, consistencyTimes, consistencyInputs, consistencyOutputs, consistencySpread, cursorT: tCur, cursorNoised: noised, cursorMapped: mapped };
}
