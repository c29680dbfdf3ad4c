// What a saved run keeps next to its run file comes from the file itself: its settings (validated) and,
// for a run on the user's own points, those points; a file without settings is refused with the reason.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { writeSafetensors } from '../../../src/core/io/safetensors';
import { TrainingSession } from '../../../src/core/run/session';
import { runFileSettings, runName, runSummary } from '../../../src/state/savedRunDescription';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tiny: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 16 };

describe('saved run descriptions', () => {
  it('reads the settings and custom points of a run file', async () => {
    const points = Float64Array.from([0, 0, 1, 1, 2, 0.5, -1, 3]);
    const s = new TrainingSession({ ...tiny, dataset: 'custom', seed: 9, lr: 0.002 }, { points });
    const r = await s.trainStep();
    r.loss.dispose();
    const bytes = await s.exportRunFile();
    const got = runFileSettings(bytes.slice().buffer);
    expect(got.config.dataset).toBe('custom');
    expect(got.config.seed).toBe(9);
    expect(got.config.lr).toBe(0.002);
    expect(Array.from(got.points!)).toEqual(Array.from(points));
    expect(runName(got.config)).toBe('CD on your points, seed 9');
    expect(runSummary(got.config)).toBe('CD · custom · MLP 2x16 · batch 16 · lr 0.002 · N 18 · l2 · budget 2000');
  });

  it('names the method as the page does and gives no N or metric where the method has none', () => {
    const mf: Config = { ...tiny, mode: 'meanflow', mfRatio: 0.5 };
    expect(runName(mf)).toBe('MeanFlow on moons, seed 1');
    expect(runSummary(mf)).toBe('MeanFlow · moons · MLP 2x16 · batch 16 · lr 0.01 · MeanFlow P(r != t) = 0.5 · budget 2000');
    expect(runName({ ...tiny, mode: 'sct' })).toBe('sCT on moons, seed 1');
    expect(runSummary({ ...tiny, mode: 'shortcut' })).toBe('Shortcut · moons · MLP 2x16 · batch 16 · lr 0.01 · budget 2000');
    // CT's N(k) schedule ignores N: the summary names the schedule, not "N 18".
    expect(runSummary({ ...tiny, mode: 'ct', nSchedule: 'ct-adaptive', metric: 'pseudo-huber' }))
      .toBe('CT · moons · MLP 2x16 · batch 16 · lr 0.01 · CT schedule N(k), mu(k) · pseudo-huber · budget 2000');
  });

  it('a preset run has no points; a file without settings is refused', async () => {
    const s = new TrainingSession({ ...tiny, dataset: 'moons' });
    expect(runFileSettings((await s.exportRunFile()).slice().buffer).points).toBeNull();
    const bare = writeSafetensors(new Map([['x', { shape: [1], data: new Float32Array([1]) }]]), { format: 'cm-playground/weights@1', spec: '{}' });
    expect(() => runFileSettings(bare.slice().buffer)).toThrow(/no settings/);
  });
});
