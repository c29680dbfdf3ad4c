// The page's run history when the worker reports an earlier step (restored after a non-finite loss, or a
// checkpoint loaded): the curves after that step are dropped, so resumed training does not draw over them.
import { describe, expect, it } from 'vitest';
import { applyProgress, applyQuality, clearRunHistory, useRun } from '../../../src/state/runStore';
import type { ProgressEvent, QualityEvent } from '../../../src/worker/protocol';

const progress = (step: number, lossSteps: number[]): ProgressEvent => ({
  type: 'progress', step, teacherStep: 0, phase: 'student', lossSteps: Float64Array.from(lossSteps),
  losses: Float32Array.from(lossSteps, (k) => 1 / k), N: 18, mu: 0.9, lr: 5e-3, stepsPerSecond: 0, msPerStep: 0,
});
const quality = (step: number) => ({ type: 'quality', step, swd1: 0.1, swd2: 0.1, swdTeacher: null, swdFloor: 0.01, energy1: 0, energy2: 0 }) as unknown as QualityEvent;
const xs = (s: { xs: Float64Array; length: number }) => Array.from(s.xs.subarray(0, s.length));

describe('run history going back', () => {
  it('a progress report at an earlier step drops the loss and quality points after it', () => {
    clearRunHistory();
    applyProgress(progress(8, [1, 2, 3, 4, 5, 6, 7, 8]));
    applyQuality(quality(5));
    applyProgress(progress(11, [9, 10]));
    applyQuality(quality(10));
    applyProgress(progress(5, [])); // the last good checkpoint
    const run = useRun.getState();
    expect(run.step).toBe(5);
    expect(xs(run.loss)).toEqual([1, 2, 3, 4, 5]);
    expect(xs(run.quality.swd1)).toEqual([5]);
    applyProgress(progress(7, [6, 7]));
    expect(xs(useRun.getState().loss)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('reports going forward keep every point', () => {
    clearRunHistory();
    applyProgress(progress(3, [1, 2, 3]));
    applyProgress(progress(3, []));
    applyProgress(progress(4, [4]));
    expect(xs(useRun.getState().loss)).toEqual([1, 2, 3, 4]);
  });
});
