// Short 2D runs that must learn: MeanFlow, sCT and sCD on moons through the generic trainer (a 3x64 MLP,
// batch 128, 300 steps, Node wasm). Thresholds were measured (one-step / two-step SWD at step 300 on 2,000
// samples, seeds 1 and 2: MeanFlow 0.047-0.062 / 0.072-0.083, sCT 0.047-0.053 / 0.056-0.057, sCD
// 0.047-0.051 / 0.051-0.052; untrained samplers and sCT after its diffusion pre-training alone score 0.33 or
// worse) and set at about 1.5x the worst measurement, far below where an untrained or broken model lands.
// MeanFlow's rows with r = t are flow matching, so its u(z, t, t) must approach the exact instantaneous
// velocity of the mixture (measured 0.27-0.28 relative RMS error; u = 0 scores 1).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { presetDataset } from '../../../src/core/data/dataset2d';
import { meanflowMethod } from '../../../src/core/methods/meanflow';
import { MethodTrainer } from '../../../src/core/methods/methodTrainer';
import { adaptiveWeight, scdMethod, sctMethod } from '../../../src/core/methods/scm';
import type { MethodContext, TrainingMethod } from '../../../src/core/methods/types';
import { slicedWasserstein } from '../../../src/core/metrics/sampleQuality2d';
import { createNetwork } from '../../../src/core/models/index';
import { Rng } from '../../../src/core/rng';
import { MixtureDenoiser } from '../../../src/core/teacher/mixtureDenoiser';

beforeAll(async () => {
  // WASM, the CLI's backend: the cpu backend's matrix products make these runs ~10x slower.
  expect(await tf.setBackend('wasm')).toBe(true);
});

const SMALL: Partial<Config> = { dataset: 'moons', width: 64, depth: 3, batchSize: 128, steps: 300, scmPretrain: 100, seed: 1 };
const N = 2000;

function setup(method: TrainingMethod, over: Partial<Config>) {
  const c = { ...DEFAULTS, ...SMALL, mode: method.id, ...over } as Config;
  const ds = presetDataset('moons', c.sigmaData);
  const data = { dataShape: [2], sample: (n: number, r: Rng) => ds.sample(n, r) };
  const exact = new MixtureDenoiser(ds.mixture);
  const ctx: MethodContext = { config: c, net: createNetwork(c, [2], method.timeInputs), dataShape: [2], data, teacher: method.needsTeacher === 'none' ? null : exact, exact };
  const trainer = new MethodTrainer({ method, ctx });
  const er = new Rng(7, 'evaluation');
  const noise = { initial: er.normals(N * 2), perStep: c.taus.map(() => er.normals(N * 2)) };
  const truth = data.sample(N, er);
  const swd = () => {
    const out = tf.tidy(() => method.sample(ctx, trainer.samplingParams(), noise));
    const v = out.map((o) => slicedWasserstein(o.dataSync(), truth, 2));
    tf.dispose(out);
    return v;
  };
  return { c, ctx, trainer, exact, swd };
}

function train(trainer: MethodTrainer, steps: number): number {
  let last = Number.NaN;
  for (let k = 0; k < steps; k++) {
    const r = trainer.trainStep();
    last = r.loss.dataSync()[0];
    r.loss.dispose();
  }
  return last;
}

describe('continuous-time methods learn moons in 300 steps', () => {
  it('MeanFlow: one-step SWD from > 0.3 to < 0.09, two-step < 0.12, and u(z, t, t) near the exact velocity', () => {
    const { ctx, trainer, exact, swd } = setup(meanflowMethod as TrainingMethod, {});
    const [before] = swd();
    const loss = train(trainer, 300);
    const [one, two] = swd();
    expect(Number.isFinite(loss)).toBe(true);
    expect(before).toBeGreaterThan(0.3);
    expect(one).toBeLessThan(0.09);
    expect(two).toBeLessThan(0.12);
    // v*(z, t) = (z - D(z / (1 - t), t / (1 - t))) / t on points of the path z_t = (1 - t) x + t e.
    const rng = new Rng(3, 'velocity');
    const B = 512;
    let err = 0;
    let norm = 0;
    for (const t of [0.3, 0.6, 0.9]) {
      const x = ctx.data.sample(B, rng);
      const e = rng.normals(2 * B);
      const z = Float32Array.from(x, (v, i) => (1 - t) * v + t * e[i]);
      const [u, vStar] = tf.tidy(() => {
        const zt = tf.tensor2d(z, [B, 2]);
        const tt = new Float64Array(B).fill(t);
        const uT = ctx.net.forward(trainer.samplingParams(), zt, tf.mul(tf.stack([tf.tensor1d(Float32Array.from(tt)), tf.zeros([B])], 1), 1 / 32) as tf.Tensor2D);
        const D = exact.denoise(tf.div(zt, 1 - t), new Float64Array(B).fill(t / (1 - t)));
        return [uT.dataSync(), tf.div(tf.sub(zt, D), t).dataSync()];
      });
      for (let i = 0; i < u.length; i++) {
        err += (u[i] - vStar[i]) ** 2;
        norm += vStar[i] ** 2;
      }
    }
    expect(Math.sqrt(err / norm)).toBeLessThan(0.42);
  }, 300_000);

  it('sCT: one-step SWD below 0.09 after 100 diffusion pre-training + 200 consistency steps (0.33 or worse after pre-training alone)', () => {
    const { trainer, swd } = setup(sctMethod as TrainingMethod, {});
    train(trainer, 100);
    const [afterPretrain] = swd();
    train(trainer, 200);
    const [one, two] = swd();
    expect(afterPretrain).toBeGreaterThan(0.25);
    expect(one).toBeLessThan(0.09);
    expect(two).toBeLessThan(0.1);
  }, 300_000);

  it.each([1, 2])('sCT with the learned adaptive weight w_phi (seed %i): one-step SWD below WPHI.swd1, and w_phi(t) rises above ln 2', (seed) => {
    const { trainer, ctx, swd } = setup(sctMethod as TrainingMethod, { scmAdaptiveWeight: 'learned', seed });
    train(trainer, 300);
    const [one, two] = swd();
    // At theta = theta^- each |F - F^- - g|^2 = |g|^2 / (|g| + c)^2 < 1, so e^{w*} = D / E[.] > 2.
    const w = tf.tidy(() => adaptiveWeight(trainer.ctx, trainer.samplingParams(), tf.tensor1d([0.3, 0.8, 1.3].map((t) => t / 32))).dataSync());
    console.info(`sCT + w_phi seed ${seed}: SWD ${one.toFixed(4)} / ${two.toFixed(4)}; w_phi(0.3, 0.8, 1.3) = ${Array.from(w, (v) => v.toFixed(3))}`);
    expect(ctx.config.scmAdaptiveWeight).toBe('learned');
    expect(one).toBeLessThan(WPHI.swd1);
    expect(two).toBeLessThan(WPHI.swd2);
    for (const v of w) expect(v).toBeGreaterThan(Math.LN2);
  }, 300_000);

  it('sCD from the exact mixture teacher: one-step SWD below 0.09', () => {
    const { trainer, swd } = setup(scdMethod as TrainingMethod, {});
    train(trainer, 300);
    const [one, two] = swd();
    expect(one).toBeLessThan(0.09);
    expect(two).toBeLessThan(0.1);
  }, 300_000);
});

describe('sCD with a learned teacher', () => {
  it('does not copy the EDM teacher\'s weights (its network sees TrigFlow time): a fresh start with F = 0', async () => {
    const { TrainingSession } = await import('../../../src/core/run/session');
    const c = { ...DEFAULTS, ...SMALL, mode: 'scd', teacher: 'learned', teacherSteps: 3, width: 16, depth: 2 } as Config;
    const session = new TrainingSession(c, {}, 100);
    try {
      while (session.phase === 'teacher') {
        const s = await session.trainStep();
        s.loss.dispose();
      }
      const online = await session.trainer!.online.read();
      const outWeight = online[online.length - 2];
      expect(outWeight.every((v) => v === 0)).toBe(true); // the MLP's zero-initialised output layer
      // ...while the teacher it distils from has trained its output layer.
      const teacher = session.teacher();
      expect(teacher).not.toBeNull();
    } finally {
      session.dispose();
    }
  }, 120_000);
});

describe('no tensors left behind by a step', () => {
  it.each([
    ['sct', 'fd'], ['sct', 'exact'], ['scd', 'fd'], ['meanflow', 'fd'], ['meanflow', 'exact'],
  ] as const)('%s with the %s JVP route', (mode, jvpRoute) => {
    const method = { sct: sctMethod, scd: scdMethod, meanflow: meanflowMethod }[mode] as TrainingMethod;
    const { trainer } = setup(method, { width: 16, depth: 2, batchSize: 16, scmPretrain: 1, jvpRoute });
    train(trainer, 3);
    const before = tf.memory().numTensors;
    train(trainer, 3);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });
});

// sCT with w_phi, 100 pre-training + 200 consistency steps: measured one-step / two-step SWD 0.0548 / 0.0580
// (seed 1) and 0.0526 / 0.0555 (seed 2), w_phi(0.3, 0.8, 1.3) = 1.05, 1.34, 1.67 for both; about 1.5x the worst.
const WPHI = { swd1: 0.085, swd2: 0.09 };
