// The worker's editing glue (src/worker/editing.ts) with a real 2D session on the cpu backend: requests
// become core calls, constraints hold in the reply, and bad input becomes an EditError with the reason.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { EditError } from '../../../src/core/edit/errors';
import { TrainingSession } from '../../../src/core/run/session';
import { editTransfer, requestTimes, runEdit } from '../../../src/worker/editing';

const tiny: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 32, dataset: 'moons', mode: 'ct' };
const range = { eps: 0.002, T: 80 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('edit times from a request', () => {
  it('t1 and steps give a descending Karras grid from t1 that stays above eps', () => {
    const t = requestTimes({ task: 'fix2d', seeds: [0], t1: 10, steps: 3 }, range, 7);
    expect(t.length).toBe(3);
    expect(t[0]).toBe(10);
    expect(t[1]).toBeLessThan(10);
    expect(t[2]).toBeGreaterThan(0.002);
  });

  it('defaults to one step at T; explicit times pass through', () => {
    expect(requestTimes({ task: 'fix2d', seeds: [0] }, range, 7)).toEqual([80]);
    expect(requestTimes({ task: 'fix2d', seeds: [0], times: [5, 1] }, range, 7)).toEqual([5, 1]);
  });

  it('t1 outside [eps, T], NaN, or a bad step count is refused with the reason', () => {
    expect(() => requestTimes({ task: 'fix2d', seeds: [0], t1: 500 }, range, 7)).toThrow(/outside \[eps, T\] = \[0.002, 80\]/);
    expect(() => requestTimes({ task: 'fix2d', seeds: [0], t1: Number.NaN }, range, 7)).toThrow(EditError);
    expect(() => requestTimes({ task: 'fix2d', seeds: [0], t1: 1, steps: 0 }, range, 7)).toThrow(/number of steps/);
  });
});

describe('runEdit on a 2D session', () => {
  it('line constraint: every sample keeps n . p = value; iterates and times are reported', async () => {
    const s = new TrainingSession(tiny);
    try {
      const constraint = { kind: 'line' as const, angle: 0.7, value: 0.4 };
      const r = await runEdit(s, { task: 'line2d', constraint, seeds: [0, 1, 2, 3, 4], t1: 2, steps: 3 });
      expect(r.batch).toBe(5);
      expect(r.iterates.length).toBe(3);
      expect(r.times[0]).toBe(2);
      expect(r.result).toEqual(r.iterates[2]);
      expect(r.result).not.toBe(r.iterates[2]); // its own buffer, so both can be transferred
      for (let i = 0; i < 5; i++) {
        expect(Math.abs(Math.cos(0.7) * r.result[2 * i] + Math.sin(0.7) * r.result[2 * i + 1] - 0.4)).toBeLessThan(1e-5);
      }
      const buffers = editTransfer(r);
      expect(new Set(buffers).size).toBe(buffers.length);
    } finally {
      s.dispose();
    }
  });

  it('image tasks on a 2D run, a missing constraint and too many seeds are EditErrors', async () => {
    const s = new TrainingSession(tiny);
    try {
      await expect(runEdit(s, { task: 'inpaint', seeds: [0], mask: new Uint8Array(784) })).rejects.toThrow(/image edit; this run is 2D/);
      await expect(runEdit(s, { task: 'fix2d', seeds: [0] })).rejects.toThrow(/needs a fixed coordinate/);
      await expect(runEdit(s, { task: 'fix2d', seeds: [], constraint: { kind: 'fix', axis: 0, value: 0 } })).rejects.toThrow(EditError);
    } finally {
      s.dispose();
    }
  });
});
