// The c_noise convention setting: every MLP reads it (its time-feature frequencies follow it, 1000x lower
// for PyTorch's), also for sCM and the flow methods, which feed their own time instead of c_noise. So it
// stays enabled for them on 2D, with a note saying what it still does, and Compare accepts a change of it.
// The U-Net is built for the JAX convention only: there it is disabled with that reason.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, disabledReason, type Config } from '../../../src/core/config';
import { METHOD_IDS } from '../../../src/core/methods/settings/index';
import { fieldNote } from '../../../src/core/methods/settings/notes';
import { TrainingSession } from '../../../src/core/run/session';
import { resolveRun } from '../../../src/state/compare/presets';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 16, taus: [1], scmPretrain: 0 };

async function losses(c: Config): Promise<number[]> {
  const s = new TrainingSession(c, {}, 4);
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    const step = await s.trainStep();
    out.push((await step.loss.data())[0]);
    step.loss.dispose();
  }
  s.dispose();
  return out;
}

describe('the c_noise convention', () => {
  it.each(['sct', 'flow', 'meanflow', 'shortcut'] as const)('changes a %s run on the MLP (its time-feature frequencies)', async (mode) => {
    expect(await losses({ ...small, mode, cNoiseConvention: 'pytorch' })).not.toEqual(await losses({ ...small, mode }));
  }, 60_000);

  it('is enabled for every method on the MLP; sCM and the flow methods get a note on what it still does', () => {
    for (const mode of METHOD_IDS) {
      const c = { ...DEFAULTS, mode };
      expect(disabledReason('cNoiseConvention', c), mode).toBeNull();
      const note = fieldNote('cNoiseConvention', c);
      if (['sct', 'scd', 'meanflow', 'shortcut', 'flow'].includes(mode)) expect(note, mode).toMatch(/not c_noise; this still sets the MLP's time-feature frequencies/);
      else expect(note, mode).toBeNull();
    }
  });

  it('is disabled on the U-Net, which is built for the JAX convention, unless a link set another value to fix', () => {
    for (const mode of METHOD_IDS) {
      const c = { ...DEFAULTS, mode, dataset: 'mnist' as const, model: 'unet' as const };
      expect(disabledReason('cNoiseConvention', c), mode).toMatch(/U-Net is built for the JAX convention/);
      expect(disabledReason('cNoiseConvention', { ...c, cNoiseConvention: 'pytorch' }), mode).toBeNull();
    }
  });

  it('is a change Compare accepts for a flow run on 2D', () => {
    const r = resolveRun({ ...DEFAULTS, mode: 'flow' }, { patch: 'cn=pytorch', sampler: 'one' });
    expect(r.errors).toEqual([]);
    expect(r.config?.cNoiseConvention).toBe('pytorch');
  });
});
