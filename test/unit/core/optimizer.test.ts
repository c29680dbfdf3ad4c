import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { emaUpdate } from '../../../src/core/cm/ema';
import { FlatAdam, type OptimizerSettings } from '../../../src/core/cm/optimizer';
import { ParamLayout } from '../../../src/core/models/flatLayout';
import { FlatParams } from '../../../src/core/models/paramSet';
import { Rng } from '../../../src/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const base: OptimizerSettings = { kind: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, warmupSteps: 0, gradClip: 0 };

/** Runs `steps` updates with constant gradient g on a single scalar parameter starting at 0. */
async function run(settings: OptimizerSettings, grads: number[]): Promise<number[]> {
  const p = tf.variable(tf.zeros([1])) as tf.Variable<tf.Rank.R1>;
  const opt = new FlatAdam(1, settings);
  const out: number[] = [];
  for (const g of grads) {
    tf.tidy(() => p.assign(opt.step(p, tf.tensor1d([g])).params));
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
    const p = tf.variable(tf.zeros([2])) as tf.Variable<tf.Rank.R1>;
    const opt = new FlatAdam(2, { ...base, kind: 'radam', beta2: 0.9, gradClip: 1 });
    const { params, norm } = opt.step(p, tf.tensor1d([30, 40]));
    p.assign(params);
    expect((await norm!.data())[0]).toBeCloseTo(50, 4); // reports the norm before clipping
    // RAdam's first step is lr * g_clipped = 0.1 * (0.6, 0.8)
    const v = await p.data();
    expect(v[0]).toBeCloseTo(-0.06, 5);
    expect(v[1]).toBeCloseTo(-0.08, 5);
    opt.dispose();
  });
});

/**
 * A plain per-tensor reference in float64: Adam / RAdam with warm-up and global-norm clipping over a list
 * of parameter tensors, followed by two EMAs per tensor (the target's and the evaluation EMA's).
 */
class PerTensorReference {
  m: Float64Array[];
  v: Float64Array[];
  t = 0;
  constructor(public p: Float64Array[], public target: Float64Array[], public ema: Float64Array[], readonly s: OptimizerSettings) {
    this.m = p.map((x) => new Float64Array(x.length));
    this.v = p.map((x) => new Float64Array(x.length));
  }

  step(grads: Float64Array[], muTarget: number, muEma: number): void {
    const s = this.s;
    this.t += 1;
    const t = this.t;
    const lr = s.warmupSteps > 0 ? s.lr * Math.min(1, t / s.warmupSteps) : s.lr;
    let scale = 1;
    if (s.gradClip > 0) {
      const norm = Math.sqrt(grads.reduce((a, g) => a + g.reduce((b, x) => b + x * x, 0), 0));
      scale = Math.min(1, s.gradClip / (norm + 1e-12));
    }
    const rhoInf = 2 / (1 - s.beta2) - 1;
    const rho = rhoInf - (2 * t * s.beta2 ** t) / (1 - s.beta2 ** t);
    this.p.forEach((p, i) => {
      for (let j = 0; j < p.length; j++) {
        const g = grads[i][j] * scale;
        this.m[i][j] = s.beta1 * this.m[i][j] + (1 - s.beta1) * g;
        this.v[i][j] = s.beta2 * this.v[i][j] + (1 - s.beta2) * g * g;
        const mHat = this.m[i][j] / (1 - s.beta1 ** t);
        const vHat = this.v[i][j] / (1 - s.beta2 ** t);
        if (s.kind === 'adam') p[j] -= (lr * mHat) / (Math.sqrt(vHat) + s.epsilon);
        else if (rho > 5) {
          const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
          p[j] -= (lr * r * mHat) / (Math.sqrt(vHat) + s.epsilon);
        } else p[j] -= lr * mHat;
        this.target[i][j] = muTarget * this.target[i][j] + (1 - muTarget) * p[j];
        this.ema[i][j] = muEma * this.ema[i][j] + (1 - muEma) * p[j];
      }
    });
  }
}

describe('flat buffers against the per-tensor reference', () => {
  const params = [
    { name: 'w0', shape: [3, 5] }, { name: 'b0', shape: [5] }, { name: 'w1', shape: [5, 2] }, { name: 'b1', shape: [2] },
  ];
  const cases: [string, Partial<OptimizerSettings>][] = [
    ['Adam', { kind: 'adam' }],
    ['RAdam', { kind: 'radam' }],
    ['Adam with warm-up', { kind: 'adam', warmupSteps: 10 }],
    ['RAdam with warm-up and clipping', { kind: 'radam', warmupSteps: 7, gradClip: 0.5 }],
    ['Adam with clipping', { kind: 'adam', gradClip: 0.3 }],
  ];
  for (const [label, over] of cases) {
    it(`${label}: 50 steps of optimiser, target EMA and evaluation EMA agree to 1e-6`, async () => {
      const s: OptimizerSettings = { ...base, lr: 0.01, beta2: 0.99, ...over };
      const rng = new Rng(3, 'flat-vs-reference');
      const layout = new ParamLayout(params);
      const init = layout.sizes.map((n) => Float32Array.from(rng.normals(n), (x) => 0.1 * x));
      const ref = new PerTensorReference(init.map((x) => Float64Array.from(x)), init.map((x) => Float64Array.from(x)), init.map((x) => Float64Array.from(x)), s);
      const online = new FlatParams(layout, init, 'online/');
      const target = new FlatParams(layout, init, 'target/');
      const ema = new FlatParams(layout, init, 'ema/');
      const opt = new FlatAdam(layout.total, s);
      let clipped = 0;
      for (let k = 0; k < 50; k++) {
        const grads = layout.sizes.map((n) => Float32Array.from(rng.normals(n), (x) => x * (k % 3 === 0 ? 3 : 0.5)));
        const muTarget = 0.95;
        const muEma = Math.min(0.999, (1 + k) / (10 + k));
        ref.step(grads.map((g) => Float64Array.from(g)), muTarget, muEma);
        tf.tidy(() => {
          const g = layout.concat(grads.map((x, i) => tf.tensor(x, layout.shapes[i])));
          const { params: next, norm } = opt.step(online.flat, g);
          if (norm && norm.dataSync()[0] > (s.gradClip || Infinity)) clipped++;
          online.set(next);
          emaUpdate(target, next, muTarget);
          emaUpdate(ema, next, muEma);
        });
      }
      for (const [flat, want] of [[online, ref.p], [target, ref.target], [ema, ref.ema]] as const) {
        const got = await flat.read();
        got.forEach((g, i) => g.forEach((x, j) => expect(Math.abs(x - want[i][j])).toBeLessThan(1e-6)));
      }
      const { m, v } = await opt.getState();
      const mRef = layout.flatten(ref.m.map((x) => Float32Array.from(x)));
      const vRef = layout.flatten(ref.v.map((x) => Float32Array.from(x)));
      m.forEach((x, j) => expect(Math.abs(x - mRef[j])).toBeLessThan(1e-6));
      v.forEach((x, j) => expect(Math.abs(x - vRef[j])).toBeLessThan(1e-6));
      if (s.gradClip > 0) expect(clipped).toBeGreaterThan(10); // the clipping path really ran
      // The per-parameter views show the same numbers as the buffer.
      const views = await Promise.all(online.params().map((p) => p.data()));
      const pieces = await online.read();
      views.forEach((x, i) => expect(Array.from(x)).toEqual(Array.from(pieces[i])));
      [online, target, ema, opt].forEach((x) => x.dispose());
    });
  }
});
