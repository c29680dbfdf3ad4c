import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { SessionError, TrainingSession } from '../../../src/core/run/session';
import { Rng } from '../../../src/core/rng';
import { EdmDenoiser } from '../../../src/core/teacher/edmTeacher';
import { stepLosses } from '../stepLosses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tiny: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 32, dataset: 'moons' };

describe('TrainingSession', () => {
  it('restores the last good checkpoint after a non-finite loss', async () => {
    const s = new TrainingSession({ ...tiny, mode: 'ct' });
    await stepLosses(s, 3);
    // The state after step 3 is good once the loss computed from it is finite (more in knownGood.test.ts).
    expect(await s.verifyCurrentState()).toBe(true);
    const good = s.lastGoodCheckpoint()!;
    expect(good.step).toBe(3);
    // Poison the weights: the next loss is NaN.
    tf.tidy(() => s.trainer!.online.set(tf.fill([s.trainer!.layout.total], Number.NaN)));
    const [bad] = await stepLosses(s, 1);
    expect(Number.isNaN(bad)).toBe(true);
    expect(s.recoverFromNonFinite(4)).toBe(3);
    const w = await s.trainer!.online.params()[0].data();
    expect(Array.from(w)).toEqual(Array.from(good.online[0]));
    const [next] = await stepLosses(s, 1);
    expect(Number.isFinite(next)).toBe(true);
    s.dispose();
  });

  it('a run file reloads to the same samples and resumes bit for bit', async () => {
    const a = new TrainingSession({ ...tiny, mode: 'cd', seed: 4 });
    await stepLosses(a, 5);
    const bytes = await a.exportRunFile();
    const noise = { initial: new Rng(1).normals(40), perTau: [new Rng(2).normals(40)] };
    const samplesA = await a.sample(noise);
    const nextA = await stepLosses(a, 3);
    const b = new TrainingSession({ ...tiny, mode: 'cd', seed: 4 });
    await b.importRunFile(bytes);
    expect(b.step).toBe(5);
    expect(await b.sample(noise)).toEqual(samplesA);
    expect(await stepLosses(b, 3)).toEqual(nextA);
    a.dispose();
    b.dispose();
  });

  it('refuses weights of another architecture with a message naming the difference, and keeps its own', async () => {
    const a = new TrainingSession({ ...tiny, mode: 'ct' });
    const bytes = await a.exportRunFile();
    const b = new TrainingSession({ ...tiny, mode: 'ct', width: 24 });
    const before = await b.trainer!.online.params()[0].data();
    await expect(b.importRunFile(bytes)).rejects.toThrow(/different model \(width: file 16, model 24\)/);
    await expect(b.importRunFile(new Uint8Array([1, 2, 3]))).rejects.toThrow(SessionError);
    expect(Array.from(await b.trainer!.online.params()[0].data())).toEqual(Array.from(before));
    a.dispose();
    b.dispose();
  });

  it('trains a learned EDM teacher first, then distils from it with the student initialised as the teacher', async () => {
    const s = new TrainingSession({ ...tiny, mode: 'cd', teacher: 'learned', teacherSteps: 4 });
    expect(s.phase).toBe('teacher');
    const losses = await stepLosses(s, 4);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(s.phase).toBe('student');
    expect(s.teacherStep).toBe(0);
    const teacher = s.teacher() as EdmDenoiser;
    expect(teacher).toBeInstanceOf(EdmDenoiser);
    for (let i = 0; i < teacher.params.length; i++) {
      expect(Array.from(await s.trainer!.online.params()[i].data())).toEqual(Array.from(await teacher.params[i].data()));
    }
    const exported = await s.exportRunFile();
    expect(exported.length).toBeGreaterThan(0);
    await stepLosses(s, 2);
    expect(s.step).toBe(2);
    s.dispose();
  });

  it('rejects custom data without points and unknown datasets clearly', () => {
    expect(() => new TrainingSession({ ...tiny, dataset: 'custom' })).toThrow(/needs points/);
    expect(() => new TrainingSession({ ...tiny, dataset: 'mnist', model: 'unet' })).toThrow(/MNIST digits are not loaded/);
  });

  it('leaves no tensors behind when disposed, even after a restore', async () => {
    const warm = new TrainingSession({ ...tiny, mode: 'cd' });
    warm.dispose(); // constants cached for the life of the program (time frequencies) exist from here on
    const before = tf.memory().numTensors;
    const s = new TrainingSession({ ...tiny, mode: 'cd' });
    await stepLosses(s, 2);
    await s.importRunFile(await s.exportRunFile());
    await stepLosses(s, 1);
    await s.noteFiniteLoss(1);
    expect(await s.verifyCurrentState()).toBe(true);
    s.recoverFromNonFinite();
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

