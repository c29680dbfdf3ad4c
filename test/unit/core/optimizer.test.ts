import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FlatAdam, type OptimizerSettings } from '../../../src/core/cm/optimizer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const base: OptimizerSettings = { kind: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, warmupSteps: 0, gradClip: 0 };

/** Runs `steps` updates with constant gradient g on a single scalar parameter starting at 0. */
async function run(settings: OptimizerSettings, grads: number[]): Promise<number[]> {
  const p = tf.variable(tf.zeros([1]));
  const opt = new FlatAdam([p], settings);
  const out: number[] = [];
  for (const g of grads) {
    opt.apply([tf.tensor1d([g])]).dispose();
    out.push((await p.data())[0]);
  }
  opt.dispose();
  p.dispose();
  return out;
}

/** Reference Adam / RAdam in float64. */
function reference(s: OptimizerSettings, grads: number[]): number[] {
  let m = 0;
  let v = 0;
  let p = 0;
  const out: number[] = [];
  grads.forEach((g, i) => {
    const t = i + 1;
    const lr = s.warmupSteps > 0 ? s.lr * Math.min(1, t / s.warmupSteps) : s.lr;
    m = s.beta1 * m + (1 - s.beta1) * g;
    v = s.beta2 * v + (1 - s.beta2) * g * g;
    const mHat = m / (1 - s.beta1 ** t);
    const vHat = v / (1 - s.beta2 ** t);
    if (s.kind === 'adam') {
      p -= (lr * mHat) / (Math.sqrt(vHat) + s.epsilon);
    } else {
      const rhoInf = 2 / (1 - s.beta2) - 1;
      const rho = rhoInf - (2 * t * s.beta2 ** t) / (1 - s.beta2 ** t);
      if (rho > 5) {
        const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
        p -= (lr * r * mHat) / (Math.sqrt(vHat) + s.epsilon);
      } else {
        p -= lr * mHat;
      }
    }
    out.push(p);
  });
  return out;
}

const grads = [1, -0.5, 2, 0.3, -1, 0.7, 0.1, 1.5];

describe('FlatAdam', () => {
  it('matches Adam in float64', async () => {
    const got = await run(base, grads);
    reference(base, grads).forEach((r, i) => expect(got[i]).toBeCloseTo(r, 5));
  });

  it('RAdam takes plain momentum steps until the variance is tractable, then rectified steps', async () => {
    const s: OptimizerSettings = { ...base, kind: 'radam', beta2: 0.9 };
    const got = await run(s, grads);
    const want = reference(s, grads);
    want.forEach((r, i) => expect(got[i]).toBeCloseTo(r, 5));
    // the first step is lr * m_hat = lr * g: no division by sqrt(v)
    expect(got[0]).toBeCloseTo(-0.1, 6);
  });

  it('warms the learning rate up linearly', async () => {
    const s = { ...base, warmupSteps: 4 };
    const got = await run(s, grads);
    reference(s, grads).forEach((r, i) => expect(got[i]).toBeCloseTo(r, 5));
    expect(Math.abs(got[0])).toBeCloseTo(0.025, 5); // lr / 4 on the first step
  });

  it('clips the global gradient norm', async () => {
    const p = tf.variable(tf.zeros([2]));
    const opt = new FlatAdam([p], { ...base, kind: 'radam', beta2: 0.9, gradClip: 1 });
    const norm = opt.apply([tf.tensor1d([30, 40])]);
    expect((await norm.data())[0]).toBeCloseTo(50, 4); // reports the norm before clipping
    // RAdam's first step is lr * g_clipped = 0.1 * (0.6, 0.8)
    const v = await p.data();
    expect(v[0]).toBeCloseTo(-0.06, 5);
    expect(v[1]).toBeCloseTo(-0.08, 5);
    opt.dispose();
  });
});
