// The worker's side of "Anatomy of a step": checks the request, takes the session's next step apart
// (core/cm/stepAnatomy.ts) and, when the user applies it, reports the step like the training loop does.
import { ConsistencyTrainer } from '../core/cm/consistencyTrainer';
import { stepAnatomy } from '../core/cm/stepAnatomy';
import { METHOD_INFO } from '../core/methods/settings/index';
import { SessionError } from '../core/run/session';
import { sampleSize } from '../core/tensorUtil';
import { post, requireSession, status } from './context';
import type { AnatomyReply, Command } from './protocol';
import { sendQuality, sendSnapshot } from './publish';

const MAX_ROWS = 16;

export async function runAnatomy(cmd: Extract<Command, { type: 'anatomy' }>): Promise<AnatomyReply> {
  const s = requireSession();
  if (!s.trainer || s.phase !== 'student') throw new SessionError('invalid-config', 'Anatomy of a step: the teacher is still training; there is no consistency step to show yet');
  if (!(s.trainer instanceof ConsistencyTrainer)) {
    throw new SessionError('invalid-config', `Anatomy of a step: shown for CD and CT steps only (this run trains ${METHOD_INFO[s.config.mode].label})`);
  }
  const trainer = s.trainer;
  const rows = cmd.rows;
  if (!Number.isInteger(rows) || rows < 1 || rows > MAX_ROWS) throw new SessionError('invalid-config', `Anatomy of a step: rows must be a whole number from 1 to ${MAX_ROWS} (got ${rows})`);
  const size = sampleSize(s.data.dataShape);
  const picked = cmd.picked;
  if (picked !== undefined) {
    if (!(picked instanceof Float32Array) || picked.length % size !== 0 || picked.length / size > rows || !picked.every(Number.isFinite)) {
      throw new SessionError('invalid-config', `Anatomy of a step: picked points must be finite, ${size} numbers each, at most ${rows} of them`);
    }
  }
  const a = await stepAnatomy(trainer, { rows, picked, apply: cmd.apply === true });
  if (a.applied) {
    const sc = trainer.scheduleAt();
    post({ type: 'progress', step: s.step, teacherStep: s.teacherStep, phase: 'student', lossSteps: Float64Array.of(s.step), losses: Float32Array.of(a.loss),
      N: sc.N, mu: sc.mu, lr: a.lr, stepsPerSecond: 0, msPerStep: 0 });
    if (s.step % s.config.evalEvery === 0) await sendQuality();
    await sendSnapshot();
    status('paused', `applied the step shown (now at step ${s.step})`);
  }
  return a;
}
