// The contract behind every disabled-with-reason setting (and Compare's refusal of a run that changes only
// such settings): the selected method never reads it. Checked by behaviour on 2D data for each of the eight
// methods: another value of each disabled setting trains and samples bit for bit the same. (c_noise broke
// this for sCM and the flow methods until the MLP's time-feature frequencies were found to follow it.)
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossFieldErrors, DEFAULTS, disabledReason, FIELD_LIST, withDatasetDefaults, type Config, type Field } from '../../../src/core/config';
import { METHOD_IDS } from '../../../src/core/methods/settings/index';
import { jvpChoice } from '../../../src/core/methods/jvp';
import { TrainingSession } from '../../../src/core/run/session';
import { ProbeSet } from '../../../src/core/run/views';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Settings that need more than a 2D MLP run to matter, or that the page places outside the settings panel. */
const NOT_HERE = new Set(['dataset', 'mode', 'model', 'backend', 'steps', 'evalEvery', 'seed', 'pointSmoothing', 'lpipsNet', 'lpipsResolution']);

/** Another valid value of a setting (the next option, a shifted number, a shorter taus list). */
function another(f: Field, v: unknown): unknown {
  if (f.kind === 'enum') return f.options.map((o) => o.value).find((o) => o !== v && o !== 'lpips' && o !== 'pretrained');
  if (Array.isArray(v)) return v.length ? [v[0] * 0.7] : [1];
  const n = v as number;
  const { min, max } = f as { min?: number; max?: number };
  if (f.kind === 'int') return n === 0 ? 3 : Math.max(min ?? 0, n + (n > 3 ? -2 : 2));
  const x = n === 0 ? 0.1 : n * 0.6;
  return max !== undefined && x > max ? n * 0.5 : x;
}

/** Losses of two steps and the samples from fixed noise afterwards, as one comparable string. */
async function trace(c: Config): Promise<string> {
  const s = new TrainingSession(c, {}, 4);
  const losses: number[] = [];
  for (let i = 0; i < 2; i++) {
    const step = await s.trainStep();
    losses.push((await step.loss.data())[0]);
    step.loss.dispose();
  }
  const samples = await s.sample(new ProbeSet(s, 4, 0).noise);
  s.dispose();
  return JSON.stringify([losses, samples.map((a) => Array.from(a))]);
}

describe('a setting disabled for a method', () => {
  it.each(METHOD_IDS)('%s: another value of each disabled setting trains and samples bit for bit the same', async (mode) => {
    const base: Config = {
      ...withDatasetDefaults({ ...DEFAULTS, mode }, new Set()),
      width: 16, depth: 2, timeFeatures: 8, batchSize: 8, taus: [1], ectPrefitSteps: 1, scmPretrain: 1, teacherSteps: 1,
    };
    const reference = await trace(base);
    let checked = 0;
    for (const f of FIELD_LIST) {
      if (NOT_HERE.has(f.key) || !disabledReason(f.key, base)) continue;
      const c = { ...base, [f.key]: another(f, base[f.key]) } as Config;
      if (crossFieldErrors(c).length > 0) continue; // not a run the page would build
      expect(await trace(c), `${mode}: ${f.key} = ${JSON.stringify(c[f.key])} (${disabledReason(f.key, base)})`).toBe(reference);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  }, 120_000);
});

describe('ECT\'s exact pre-fit steps', () => {
  it('are read with the exact 2D teacher only; with a learned (or, on MNIST, pretrained) one they are disabled and change nothing', async () => {
    const ect: Config = { ...DEFAULTS, mode: 'ect', width: 16, depth: 2, timeFeatures: 8, batchSize: 8, taus: [1], ectPrefitSteps: 1 };
    expect(disabledReason('ectPrefitSteps', ect)).toBeNull();
    expect(await trace({ ...ect, ectPrefitSteps: 5 })).not.toBe(await trace(ect));
    const learned: Config = { ...ect, teacher: 'learned', teacherSteps: 1 };
    expect(disabledReason('ectPrefitSteps', learned)).toMatch(/only with the exact 2D teacher/);
    expect(disabledReason('ectPrefitSteps', { ...learned, dataset: 'mnist', model: 'unet', teacher: 'pretrained' })).toMatch(/only with the exact 2D teacher/);
    expect(await trace({ ...learned, ectPrefitSteps: 5 })).toBe(await trace(learned));
  }, 60_000);
});

describe('the JVP route on the U-Net', () => {
  it('is disabled: every choice is the finite difference there (exact stays editable, as the error to fix)', () => {
    for (const model of ['unet', 'unet-tiny'] as const) {
      expect(jvpChoice('silu', 'auto', model)).toEqual(jvpChoice('silu', 'fd', model));
      for (const mode of ['scd', 'sct', 'meanflow'] as const) {
        const c: Config = { ...DEFAULTS, mode, dataset: 'mnist', model };
        expect(disabledReason('jvpRoute', c), `${mode} ${model}`).toMatch(/U-Net always takes the finite difference/);
        expect(disabledReason('jvpRoute', { ...c, jvpRoute: 'exact' }), `${mode} ${model}`).toBeNull();
      }
    }
    // On the MLP the route matters (exact double VJP or finite difference).
    expect(disabledReason('jvpRoute', { ...DEFAULTS, mode: 'sct' })).toBeNull();
    expect(jvpChoice('silu', 'exact', 'mlp')).not.toEqual(jvpChoice('silu', 'fd', 'mlp'));
  });
});
