// Which denoiser the views' PF-ODE trajectories follow (TrainingSession.teacher()), without tfjs so the
// page can name it: a method with a teacher draws its teacher's ODE (a network, or the exact one of the 2D
// data mixture when the teacher is "exact"); a method without one draws the exact ODE of the 2D mixture as
// the reference, and nothing on MNIST (digits have no closed-form denoiser).
import type { Config } from '../config';
import { METHOD_INFO } from '../methods/settings/index';

export type TrajectorySource = 'teacher-network' | 'teacher-exact' | 'exact' | 'none';

/** Does the run's teacher denoiser come from a network (learned or pretrained) rather than the 2D mixture? */
export function usesNetworkTeacher(c: Pick<Config, 'mode' | 'teacher'>): boolean {
  return METHOD_INFO[c.mode].teacher !== 'none' && c.teacher !== 'exact';
}

export function trajectorySource(c: Pick<Config, 'mode' | 'teacher' | 'dataset'>): TrajectorySource {
  if (usesNetworkTeacher(c)) return 'teacher-network';
  if (c.dataset === 'mnist') return 'none';
  return METHOD_INFO[c.mode].teacher === 'none' ? 'exact' : 'teacher-exact';
}
