// The views the worker sends (samples from fixed probe noise, the map of trajectory points and of the time
// cursor to the data end) and run files work for every method, through its own flow map.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { METHOD_IDS, METHOD_INFO } from '../../../src/core/methods/settings/index';
import { TrainingSession } from '../../../src/core/run/session';
import { computeSnapshot, ProbeSet, teacherTrajectories } from '../../../src/core/run/views';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 32, taus: [1, 0.3], ectPrefitSteps: 2 };
const modes = METHOD_IDS.filter((id) => METHOD_INFO[id].available && !METHOD_INFO[id].consistency || id === 'ect');

describe('views and run files for every method', () => {
  it.each(modes)('%s: snapshot after a few steps, and a run file that restores the same samples and the next step', async (mode) => {
    const s = new TrainingSession({ ...small, mode }, {}, 50);
    for (let i = 0; i < 3; i++) (await s.trainStep()).loss.dispose();
    const probes = new ProbeSet(s, 20, 3);
    const traj = await teacherTrajectories(s, probes, 12);
    const snap = await computeSnapshot(s, probes, traj, { probeCount: 20, trajectoryCount: 3, consistencyTimes: [0.5, 5], cursorT: 1, weights: 'ema' });
    expect(snap.samples).toHaveLength(3); // one per budget: 1 + one per tau
    for (const a of [...snap.samples, ...snap.consistencyOutputs, snap.cursorMapped]) {
      expect(a.every(Number.isFinite)).toBe(true);
    }
    expect(snap.consistencyOutputs).toHaveLength(2);
    expect(snap.cursorMapped).toHaveLength(40);
    const bytes = await s.exportRunFile();
    const again = new TrainingSession({ ...small, mode }, {}, 50);
    await again.importRunFile(bytes);
    expect(again.step).toBe(3);
    const a = await s.sample(probes.noise);
    const b = await again.sample(probes.noise);
    expect(Array.from(b[0])).toEqual(Array.from(a[0]));
    // Resume is exact: the next step from the file gives the same loss as the original run's.
    const [la, lb] = [await s.trainStep(), await again.trainStep()];
    expect((await lb.loss.data())[0]).toBe((await la.loss.data())[0]);
    s.dispose();
    again.dispose();
  }, 120_000);
});

describe('ECT starts from the learned teacher', () => {
  it('after the teacher phase, the student\'s weights are the teacher\'s', async () => {
    const s = new TrainingSession({ ...small, mode: 'ect', teacher: 'learned', teacherSteps: 3 }, {}, 50);
    expect(s.phase).toBe('teacher');
    for (let i = 0; i < 3; i++) (await s.trainStep()).loss.dispose();
    expect(s.phase).toBe('student');
    const online = await s.trainer!.online.read();
    const bundle = await s.exportRunFile();
    expect(bundle.length).toBeGreaterThan(0);
    const teacherParams = (s as unknown as { frozenTeacher: tf.Tensor[] }).frozenTeacher;
    const teacher = await Promise.all(teacherParams.map((t) => t.data()));
    online.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(teacher[i])));
    expect(online.some((p) => p.some((v) => v !== 0))).toBe(true);
    s.dispose();
  }, 60_000);
});

describe('the consistency arrows of a run with a fixed training grid', () => {
  const wanted = [2, 1, 0.5, 0.2, 0.05];
  const arrowTimes = async (c: Config) => {
    const s = new TrainingSession(c, {}, 50);
    const probes = new ProbeSet(s, 20, 3);
    const traj = await teacherTrajectories(s, probes);
    const snap = await computeSnapshot(s, probes, traj, { probeCount: 20, trajectoryCount: 3, consistencyTimes: wanted, cursorT: 1, weights: 'ema' });
    s.dispose();
    return snap.consistencyTimes;
  };

  it('CD starts them at the grid times nearest the wanted ones, where it is trained (cm/trainingGrid.ts)', async () => {
    // consistency-models.md's N = 18 grid: ... 0.059947, 0.139516, 0.296442, 0.585348, 1.088171, 1.92334 ...
    const times = await arrowTimes({ ...small, mode: 'cd', teacher: 'exact' });
    [1.92334, 1.088171, 0.585348, 0.139516, 0.059947].forEach((t, i) => expect(times[i]).toBeCloseTo(t, 5));
  }, 60_000);

  it('a continuous-time method keeps the trajectory times nearest the wanted ones', async () => {
    const times = await arrowTimes({ ...small, mode: 'ect', teacher: 'exact' });
    expect(times).toHaveLength(5);
    times.forEach((t, i) => expect(Math.abs(Math.log(t / wanted[i]))).toBeLessThan(0.15)); // a 48-point grid: ~0.2 apart in ln t
    expect(times.some((t, i) => Math.abs(t - [1.92334, 1.088171, 0.585348, 0.139516, 0.059947][i]) > 0.01)).toBe(true);
  }, 60_000);
});
