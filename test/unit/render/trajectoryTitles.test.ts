// The trajectory views say whose PF-ODE they draw: the teacher's for CD, ECT and sCD, the exact ODE of the
// 2D data mixture for the methods without a teacher (CT, sCT, MeanFlow, shortcut, flow matching), and on
// MNIST, where digits have no exact ODE, why a method without a teacher shows none. The names must match
// what a run really draws (TrainingSession.teacher()), checked here against built sessions.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { METHOD_IDS, METHOD_INFO } from '../../../src/core/methods/settings/index';
import { TrainingSession } from '../../../src/core/run/session';
import { trajectorySource } from '../../../src/core/run/trajectorySource';
import { MixtureDenoiser } from '../../../src/core/teacher/mixtureDenoiser';
import { arrowTimesNote, emptyStripMessage, noTrajectoriesReason, trajectoryNote, trajectoryStripTitle, trajectoryViewTitle } from '../../../src/render/trajectoryTitles';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 8 };
const digits = { dataShape: [28, 28, 1], sample: (n: number) => new Float32Array(n * 784) };
const hasTeacher = (mode: Config['mode']) => METHOD_INFO[mode].teacher !== 'none';

describe('trajectory view titles', () => {
  it('2D: a run with a fixed training grid says its arrows start at grid times; the others say nothing', () => {
    const wanted = [2, 1, 0.5, 0.2, 0.05];
    expect(arrowTimesNote(DEFAULTS, wanted)).toBe('CD at a fixed N trains f only at its N = 18 grid times, so the arrows start at the grid times nearest 2, 1, 0.5, 0.2, 0.05; between grid times a 2D model\'s f lands up to ~1.8x further from the ODE\'s end.');
    expect(arrowTimesNote({ ...DEFAULTS, mode: 'ct', nSchedule: 'fixed', N: 40 }, wanted)).toContain('CT at a fixed N trains f only at its N = 40 grid times');
    expect(arrowTimesNote({ ...DEFAULTS, mode: 'ct', nSchedule: 'ct-adaptive' }, wanted)).toBeNull();
    expect(arrowTimesNote({ ...DEFAULTS, mode: 'ect' }, wanted)).toBeNull();
    expect(arrowTimesNote({ ...DEFAULTS, dataset: 'mnist' }, wanted)).toBeNull();
  });

  it('2D: the teacher\'s ODE for CD, ECT and sCD; the exact mixture ODE, named as such, for the rest', () => {
    expect(METHOD_IDS.filter(hasTeacher)).toEqual(['cd', 'ect', 'scd']);
    for (const mode of METHOD_IDS) {
      const exact = trajectoryViewTitle({ ...DEFAULTS, mode, teacher: 'exact' });
      const learned = trajectoryViewTitle({ ...DEFAULTS, mode, teacher: 'learned' });
      if (hasTeacher(mode)) {
        expect(exact, mode).toBe('Teacher (exact) PF-ODE trajectories and f(x_t, t)');
        expect(trajectoryNote({ ...DEFAULTS, mode, teacher: 'exact' }), mode).toMatch(/^The teacher is exact: the PF-ODE of the data mixture/);
        expect(learned, mode).toBe('Learned teacher\'s PF-ODE trajectories and f(x_t, t)');
        expect(trajectoryNote({ ...DEFAULTS, mode, teacher: 'learned' }), mode).toBeNull();
      } else {
        // The teacher setting means nothing here: both say the same, and neither calls the curves a teacher's.
        expect(exact, mode).toBe('Exact PF-ODE trajectories (no teacher) and f(x_t, t)');
        expect(learned, mode).toBe(exact);
        expect(exact, mode).not.toMatch(/teacher'?s? PF-ODE|^Teacher/i);
        expect(trajectoryNote({ ...DEFAULTS, mode }), mode).toBe(`${METHOD_INFO[mode].label} has no teacher: the curves are the exact PF-ODE of the data mixture (closed-form denoiser), drawn as the reference.`);
      }
    }
  });

  it('MNIST: the pretrained or learned teacher\'s strip; without a teacher, a title and message that say why it is empty', () => {
    for (const mode of METHOD_IDS) {
      const c = { ...DEFAULTS, mode, dataset: 'mnist' as const, teacher: 'pretrained' as const };
      if (hasTeacher(mode)) {
        expect(trajectoryStripTitle(c), mode).toBe('Pretrained teacher\'s PF-ODE trajectory x_t, with f(x_t, t) under each frame');
        expect(trajectoryStripTitle({ ...c, teacher: 'learned' }), mode).toMatch(/^Learned teacher's PF-ODE trajectory/);
        expect(emptyStripMessage(c), mode).toMatch(/No trajectories requested/);
        expect(noTrajectoriesReason(c), mode).toBeNull();
      } else {
        // The Trajectories count is disabled: it would change nothing.
        expect(noTrajectoriesReason(c), mode).toBe(`${METHOD_INFO[mode].label} has no teacher on MNIST: there are no trajectories to draw`);
        const label = METHOD_INFO[mode].label;
        expect(trajectoryStripTitle(c), mode).toBe(`PF-ODE trajectory x_t: none (${label} has no teacher on MNIST)`);
        expect(emptyStripMessage(c), mode).toBe(`${label} has no teacher, and digits have no exact ODE: trajectories are drawn for CD, ECT and sCD (the teacher's).`);
      }
    }
  });

  it('name what a built run draws: the exact mixture denoiser, a network teacher, or nothing', () => {
    const cases: Config[] = METHOD_IDS.flatMap((mode) => [
      { ...small, mode, teacher: 'exact' as const },
      { ...small, mode, teacher: 'learned' as const, teacherSteps: 1 },
      { ...small, mode, dataset: 'mnist' as const, model: 'unet-tiny' as const, teacher: 'learned' as const, batchSize: 2 },
    ]);
    for (const c of cases) {
      const s = new TrainingSession(c, c.dataset === 'mnist' ? { imageData: digits } : {}, 4);
      const D = s.teacher();
      const source = trajectorySource(c);
      if (c.dataset !== 'mnist') expect(noTrajectoriesReason(c), 'every 2D run draws trajectories').toBeNull();
      const what = `${c.mode} ${c.dataset} ${c.teacher}`;
      if (source === 'none') expect(D, what).toBeNull();
      else expect(D instanceof MixtureDenoiser, what).toBe(source === 'exact' || source === 'teacher-exact');
      if (source !== 'none') expect(D, what).not.toBeNull();
      s.dispose();
    }
  }, 120_000);
});
