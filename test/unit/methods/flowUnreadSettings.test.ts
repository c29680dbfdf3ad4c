// The flow methods (flow matching, MeanFlow, shortcut) live on t in [0, 1] from unit noise: their training
// and sampling never read T, nor sigma_d on MNIST (on 2D data sigma_d is the scale the points are normalised
// to, so it stays). The settings panel disables those for them (config.ts disabledReason) and Compare refuses
// a run that changes only those. Checked here by behaviour: the same seed with another value gives
// bit-identical losses and samples; a consistency method run the same way differs, so the check can fail.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, disabledReason, type Config } from '../../../src/core/config';
import { METHOD_IDS, METHOD_INFO } from '../../../src/core/methods/settings/index';
import { TrainingSession } from '../../../src/core/run/session';
import { ProbeSet } from '../../../src/core/run/views';
import { Rng } from '../../../src/core/rng';
import { resolveRun } from '../../../src/state/compare/presets';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 16, taus: [1], ectPrefitSteps: 1 };
/** Stand-in digits: fixed noise in [-1, 1] (what is tested is whether a setting changes anything). */
const digits = { dataShape: [28, 28, 1], sample: (n: number, rng: Rng) => Float32Array.from(rng.normals(n * 784), (v) => Math.tanh(v)) };
const tinyDigits: Partial<Config> = { dataset: 'mnist', model: 'unet-tiny', teacher: 'learned', batchSize: 2 };
const flowMethods = METHOD_IDS.filter((id) => !METHOD_INFO[id].consistency);

/** Losses of a few steps (one on MNIST: a U-Net step is slow on the CPU) and the one- and two-step samples afterwards. */
async function trace(c: Config): Promise<number[]> {
  const s = new TrainingSession(c, c.dataset === 'mnist' ? { imageData: digits } : {}, 4);
  const out: number[] = [];
  for (let i = 0; i < (c.dataset === 'mnist' ? 1 : 3); i++) {
    const step = await s.trainStep();
    out.push((await step.loss.data())[0]);
    step.loss.dispose();
  }
  const samples = await s.sample(new ProbeSet(s, c.dataset === 'mnist' ? 2 : 8, 0).noise);
  s.dispose();
  return [...out, ...samples.flatMap((a) => Array.from(a))];
}

describe('settings the flow methods never read', () => {
  it('are exactly the three flow methods', () => {
    expect(flowMethods).toEqual(['meanflow', 'shortcut', 'flow']);
  });

  it.each(flowMethods)('%s: another T trains and samples bit for bit the same (2D)', async (mode) => {
    const base = await trace({ ...small, mode });
    expect(base.every(Number.isFinite)).toBe(true);
    expect(await trace({ ...small, mode, T: 5 })).toEqual(base);
  }, 60_000);

  it.each(flowMethods)('%s: on MNIST, another T or sigma_d trains and samples bit for bit the same', async (mode) => {
    const base = await trace({ ...small, ...tinyDigits, mode });
    expect(base.every(Number.isFinite)).toBe(true);
    expect(await trace({ ...small, ...tinyDigits, mode, T: 5, sigmaData: 1.3 })).toEqual(base);
  }, 120_000);

  it('a consistency method does read them, and a flow method reads sigma_d on 2D (the comparisons can fail)', async () => {
    const base = await trace({ ...small, mode: 'ect' });
    expect(await trace({ ...small, mode: 'ect', T: 5 })).not.toEqual(base);
    expect(await trace({ ...small, mode: 'ect', sigmaData: 1.3 })).not.toEqual(base);
    expect(await trace({ ...small, mode: 'flow', sigmaData: 1.3 })).not.toEqual(await trace({ ...small, mode: 'flow' }));
  }, 60_000);

  it('are disabled with the reason for the flow methods only, and T stays editable while it is the error to fix', () => {
    for (const mode of METHOD_IDS) {
      const c = { ...DEFAULTS, mode };
      const flow = !METHOD_INFO[mode].consistency;
      expect(disabledReason('T', c) !== null, `${mode} T`).toBe(flow);
      expect(disabledReason('T', { ...c, dataset: 'mnist' }) !== null, `${mode} T mnist`).toBe(flow);
      if (flow) {
        expect(disabledReason('T', c)).toMatch(/never reads T/);
        expect(disabledReason('sigmaData', c)).toBeNull(); // 2D points are normalised to sigma_d
        expect(disabledReason('sigmaData', { ...c, dataset: 'mnist' })).toMatch(/never reads sigma_d/);
      }
    }
    expect(disabledReason('sigmaData', { ...DEFAULTS, mode: 'ct', dataset: 'mnist' })).toBeNull();
    // T <= eps is an error and eps is disabled for the flow methods: only T can fix it.
    expect(disabledReason('T', { ...DEFAULTS, mode: 'flow', T: 0.001, eps: 0.002 })).toBeNull();
  });

  it('Compare refuses a flow run that changes only T or sigma_d', () => {
    const page = { ...DEFAULTS, mode: 'flow' as const };
    expect(resolveRun(page, { patch: 't=5', sampler: 'one' }).errors.join(' ')).toMatch(/T: .*never reads T/);
    expect(resolveRun({ ...DEFAULTS, mode: 'ct' }, { patch: 't=5', sampler: 'one' }).errors).toEqual([]);
  });
});
