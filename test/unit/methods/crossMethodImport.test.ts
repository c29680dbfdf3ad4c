// Weights of one method imported into a run of another: refused with what differs and where the file comes
// from (MeanFlow's network also takes r, so its weights do not fit a flow-matching network).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { TrainingSession } from '../../../src/core/run/session';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tiny: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 16 };

describe('weights from another method', () => {
  it('are refused naming the differing input and the file\'s method, never "undefined"', async () => {
    const meanflow = new TrainingSession({ ...tiny, mode: 'meanflow' });
    const bytes = await meanflow.exportRunFile();
    const flow = new TrainingSession({ ...tiny, mode: 'flow' });
    const err = await flow.importRunFile(bytes).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/different model \(timeInputs: file 2, model none\): they come from a MeanFlow run/);
    expect(err?.message).not.toContain('undefined');
    meanflow.dispose();
    flow.dispose();
  });
});
