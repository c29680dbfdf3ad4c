// Titles of the trajectory views that say whose PF-ODE the curves are: the teacher's for a method that has
// one, the exact ODE of the 2D data mixture for one that does not (CT, sCT and the flow methods have no
// teacher; the curves are only a reference for where a consistent map should land).
import type { Config } from '../core/config';
import { fixedTrainingGrid } from '../core/cm/trainingGrid';
import { METHOD_INFO } from '../core/methods/settings/index';
import { trajectorySource } from '../core/run/trajectorySource';

type Source = Pick<Config, 'mode' | 'teacher' | 'dataset'>;

const TEACHER_USERS = Object.values(METHOD_INFO).filter((m) => m.teacher !== 'none').map((m) => m.label);

/** "<whose> PF-ODE <noun>", short enough for one line above a 2D view at 1280 px (the note says more). */
function curves(c: Source, noun: string): string {
  switch (trajectorySource(c)) {
    case 'teacher-network': return `${c.teacher === 'pretrained' ? 'Pretrained' : 'Learned'} teacher's PF-ODE ${noun}`;
    case 'teacher-exact': return `Teacher (exact) PF-ODE ${noun}`;
    case 'exact': return `Exact PF-ODE ${noun} (no teacher)`;
    case 'none': return `PF-ODE ${noun}: none (${METHOD_INFO[c.mode].label} has no teacher on MNIST)`;
  }
}

/** The 2D view's line under the canvas when its curves are the exact ODE of the data mixture, else null. */
export function trajectoryNote(c: Source): string | null {
  switch (trajectorySource(c)) {
    case 'teacher-exact': return 'The teacher is exact: the PF-ODE of the data mixture, whose denoiser has a closed form.';
    case 'exact': return `${METHOD_INFO[c.mode].label} has no teacher: the curves are the exact PF-ODE of the data mixture (closed-form denoiser), drawn as the reference.`;
    default: return null;
  }
}

/** Why the arrows of a run with a fixed training grid start at grid times (core/run/views.ts), else null. */
export function arrowTimesNote(c: Parameters<typeof fixedTrainingGrid>[0], wanted: readonly number[]): string | null {
  if (!fixedTrainingGrid(c)) return null;
  return `${METHOD_INFO[c.mode].label} at a fixed N trains f only at its N = ${c.N} grid times, so the arrows start at the grid times nearest ${wanted.join(', ')}; between grid times a 2D model's f lands up to ~1.8x further from the ODE's end.`;
}

/** The 2D view: trajectories and the arrows to f(x_t, t). */
export function trajectoryViewTitle(c: Source): string {
  return `${curves(c, 'trajectories')} and f(x_t, t)`;
}

/** The MNIST strip: frames x_t along one trajectory, with f(x_t, t) under each. */
export function trajectoryStripTitle(c: Source): string {
  return trajectorySource(c) === 'none' ? curves(c, 'trajectory x_t') : `${curves(c, 'trajectory x_t')}, with f(x_t, t) under each frame`;
}

/** Why the MNIST strip is empty. */
export function emptyStripMessage(c: Source): string {
  if (trajectorySource(c) !== 'none') return 'No trajectories requested (raise "Trajectories").';
  const users = TEACHER_USERS.join(', ').replace(/, ([^,]*)$/, ' and $1');
  return `${METHOD_INFO[c.mode].label} has no teacher, and digits have no exact ODE: trajectories are drawn for ${users} (the teacher's).`;
}

/** Why the MNIST view's Trajectories count does nothing for this method, or null when it draws them. */
export function noTrajectoriesReason(c: Source): string | null {
  return trajectorySource(c) === 'none' ? `${METHOD_INFO[c.mode].label} has no teacher on MNIST: there are no trajectories to draw` : null;
}

/** The quality chart's reference line: SWD of the same ODE's samples (TrainingSession.teacherSamples). */
export function odeReferenceLabel(c: Source): string {
  const source = trajectorySource(c);
  return source === 'exact' ? 'exact ODE' : source === 'teacher-exact' ? 'teacher ODE (exact)' : 'teacher ODE';
}
