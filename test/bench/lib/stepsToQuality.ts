// Steps to quality: trains one 2D config in Node and reports the first evaluated step at which the one-step
// SWD is within `factor` (1.5) of the teacher ODE's SWD (the exact teacher's PF-ODE samples from the same
// noise, the reference line of the page's quality chart). Shared by the benchmark and the defaults review.
import type { Config } from '../../../src/core/config';
import { TrainingSession } from '../../../src/core/run/session';
import { settle } from './nodeBackend';

export interface StepsToQualityOptions {
  /** Steps to train at most (default: the config's own step budget). */
  budget?: number;
  /** Steps between evaluations (default 25). */
  evalEvery?: number;
  /** Samples per evaluation (default 1000, as the CLI). */
  evalCount?: number;
  /** Quality level as a multiple of the teacher ODE's SWD (default 1.5). */
  factor?: number;
  /** Keep training to the budget after the level is reached (for curves; default false). */
  full?: boolean;
}

export interface StepsToQualityResult {
  /** First evaluated step with swd1 <= factor * swdTeacher, or null if not reached within the budget. */
  steps: number | null;
  /** Seconds of training (steps only, evaluations excluded) up to `steps` (or the budget). */
  trainSeconds: number;
  swdTeacher: number;
  swdFloor: number;
  /** Every evaluation: step and one-step / two-step SWD. */
  curve: { step: number; swd1: number; swd2: number; trainSeconds: number }[];
}

/** Call with a tfjs backend already set (the benchmark uses WASM, as the CLI does). */
export async function stepsToQuality(config: Config, options: StepsToQualityOptions = {}): Promise<StepsToQualityResult> {
  const { budget = config.steps, evalEvery = 25, evalCount = 1000, factor = 1.5, full = false } = options;
  if (config.dataset === 'mnist') throw new Error('stepsToQuality is for 2D datasets');
  // The reference line is the teacher's ODE: the exact teacher for CT and for CD with teacher 'exact'.
  const session = new TrainingSession(config, {}, evalCount);
  const result: StepsToQualityResult = { steps: null, trainSeconds: 0, swdTeacher: Number.NaN, swdFloor: Number.NaN, curve: [] };
  let trainMs = 0;
  try {
    for (let k = 1; k <= budget; k++) {
      const t0 = performance.now();
      await settle((await session.trainStep()).loss);
      trainMs += performance.now() - t0;
      if (k % evalEvery !== 0 && k !== budget) continue;
      const q = await session.evaluate();
      result.swdTeacher = q.swdTeacher!;
      result.swdFloor = q.swdFloor;
      result.curve.push({ step: k, swd1: q.swd1, swd2: q.swd2, trainSeconds: trainMs / 1000 });
      if (result.steps === null && q.swd1 <= factor * q.swdTeacher!) {
        result.steps = k;
        result.trainSeconds = trainMs / 1000;
        if (!full) break;
      }
    }
    if (result.steps === null) result.trainSeconds = trainMs / 1000;
    return result;
  } finally {
    session.dispose();
  }
}
