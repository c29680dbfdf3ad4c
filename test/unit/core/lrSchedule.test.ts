// The student's learning-rate schedule: warm-up, then constant or a decay to 0 at the step budget.
// Golden values worked out by hand (lr 0.1, warm-up W = 2, budget 5: the decay spans updates 3..6).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { scheduledLr } from '../../../src/core/cm/lrSchedule';
import { FlatAdam } from '../../../src/core/cm/optimizer';
import { DEFAULTS, LEGACY_VALUES, parseField, validateConfig } from '../../../src/core/config';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const lrs = (s: Parameters<typeof scheduledLr>[0], n: number) => Array.from({ length: n }, (_, i) => scheduledLr(s, i + 1));

describe('scheduledLr', () => {
  it('constant: the old linear warm-up, then lr (a missing decay means constant)', () => {
    const warm = lrs({ lr: 0.1, warmupSteps: 4 }, 6);
    [0.025, 0.05, 0.075, 0.1, 0.1, 0.1].forEach((w, i) => expect(warm[i]).toBeCloseTo(w, 12));
    expect(lrs({ lr: 0.1, warmupSteps: 0, decay: 'constant', decaySteps: 3 }, 5)).toEqual([0.1, 0.1, 0.1, 0.1, 0.1]);
  });

  it('cosine: full lr right after the warm-up, 0 one update after the budget, clamped beyond', () => {
    const got = lrs({ lr: 0.1, warmupSteps: 2, decay: 'cosine', decaySteps: 5 }, 8);
    // p = (k - 3) / 4 for k = 3..7: 0.5 (1 + cos(pi p)) = 1, 0.8535534, 0.5, 0.1464466, 0
    const want = [0.05, 0.1, 0.1, 0.08535534, 0.05, 0.01464466, 0, 0];
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 8));
  });

  it('linear: the same points on a straight line', () => {
    const got = lrs({ lr: 0.1, warmupSteps: 2, decay: 'linear', decaySteps: 5 }, 8);
    [0.05, 0.1, 0.1, 0.075, 0.05, 0.025, 0, 0].forEach((w, i) => expect(got[i]).toBeCloseTo(w, 12));
  });

  it('no warm-up: the first update already decays towards the budget; a budget inside the warm-up stays at lr', () => {
    expect(lrs({ lr: 1, warmupSteps: 0, decay: 'linear', decaySteps: 3 }, 4)).toEqual([1, 0.75, 0.5, 0.25]);
    expect(lrs({ lr: 1, warmupSteps: 4, decay: 'cosine', decaySteps: 2 }, 6)).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
  });
});

describe('FlatAdam with a decay', () => {
  it('moves a weight by the scheduled lr per update (constant gradient: m_hat / sqrt(v_hat) = 1)', async () => {
    const p = tf.variable(tf.zeros([1])) as tf.Variable<tf.Rank.R1>;
    const opt = new FlatAdam(1, { kind: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, warmupSteps: 2, gradClip: 0, decay: 'linear', decaySteps: 5 });
    const out: number[] = [];
    for (let k = 0; k < 8; k++) {
      tf.tidy(() => p.assign(opt.step(p, tf.tensor1d([1])).params));
      out.push((await p.data())[0]);
    }
    // minus the running sum of 0.05, 0.1, 0.1, 0.075, 0.05, 0.025, 0, 0
    [-0.05, -0.15, -0.25, -0.325, -0.375, -0.4, -0.4, -0.4].forEach((w, i) => expect(out[i]).toBeCloseTo(w, 6));
    opt.dispose();
    p.dispose();
  });
});

describe('the lrDecay setting', () => {
  it('parses its three values, refuses others, and means constant for run files saved before it existed', () => {
    expect(parseField('lrDecay', 'cosine')).toEqual({ ok: true, value: 'cosine' });
    expect(parseField('lrDecay', 'exp').ok).toBe(false);
    expect(LEGACY_VALUES.lrDecay).toBe('constant');
    const { lrDecay: _dropped, ...old } = DEFAULTS;
    expect(validateConfig({ ...LEGACY_VALUES, ...old }).config.lrDecay).toBe('constant');
  });
});
