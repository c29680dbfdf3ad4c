// The page's timing marks for the benchmark: the first step after each Train press closes one interval;
// other progress (steps before a press, later steps) does not. Values are never compared with times.
import { describe, expect, it } from 'vitest';
import { markReady, markStep, markTrainPressed, noteBackendReason, timings } from '../../../src/state/timings';

const marks = () => performance.getEntriesByType('mark').map((m) => m.name);

describe('timing marks', () => {
  it('Train -> first step, page load -> first step once, and the marks the bench reads', () => {
    markStep(5, 'wasm'); // progress without a Train press (a Step command): no interval
    expect(timings.trainToFirstStepMs).toBeNull();

    markReady();
    markTrainPressed();
    markStep(0, 'wasm'); // an empty progress report is not a step
    expect(timings.trainToFirstStepMs).toBeNull();
    markStep(1, 'wasm');
    const first = timings.pageLoadToFirstStepMs;
    expect(Number.isFinite(timings.trainToFirstStepMs)).toBe(true);
    expect(Number.isFinite(first)).toBe(true);
    expect(timings.backend).toBe('wasm');

    timings.trainToFirstStepMs = -1;
    markStep(9, 'wasm'); // later steps of the same run change nothing
    expect(timings.trainToFirstStepMs).toBe(-1);

    markTrainPressed();
    markStep(10, 'webgpu');
    expect(timings.trainToFirstStepMs).not.toBe(-1);
    expect(timings.backend).toBe('webgpu');
    expect(timings.pageLoadToFirstStepMs).toBe(first); // once per page

    noteBackendReason('WASM 68 ms/step');
    expect(timings.backendReason).toBe('WASM 68 ms/step');
    expect(marks()).toEqual(expect.arrayContaining(['cm:ready', 'cm:train-pressed', 'cm:first-step', 'cm:backend-chosen']));
  });
});
