// Kernels per default 2D training step (4x256 SiLU MLP, batch 512, l2, moons; CD: exact teacher, Heun),
// counted with tf.profile on the cpu backend: registered kernels only (custom-gradient scopes are not
// launches). A count is deterministic, so this guards the "fewer, bigger kernels" work of issue 10 without
// timing anything. History: 316 (CT) and 372 (CD-Heun) before flat buffers; 140 and 168 after; 46 and 75
// with the tape-free MLP step and fused host kernels (issue goals 80 and 100). The bounds are today's counts
// with a small margin; NOTES.md ("Kernel count of the 2D step") lists what is left.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { TrainingSession } from '../../../src/core/run/session';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function kernelsPerStep(c: Config): Promise<{ total: number; byName: Map<string, number> }> {
  const s = new TrainingSession(c, {}, 16);
  (await s.trainStep()).loss.dispose(); // first step builds cached constants
  const prof = await tf.profile(async () => {
    const r = await s.trainStep();
    await r.loss.data();
    r.loss.dispose();
  });
  s.dispose();
  const byName = new Map<string, number>();
  let total = 0;
  for (const k of prof.kernels) {
    if (!tf.getKernel(k.name, 'cpu')) continue;
    total++;
    byName.set(k.name, (byName.get(k.name) ?? 0) + 1);
  }
  return { total, byName };
}

describe('kernels per default 2D step (cpu backend, tf.profile)', () => {
  it.each(['input', 'every-layer'] as const)('CT (time features: %s)', async (timeConditioning) => {
    const { total, byName } = await kernelsPerStep({ ...DEFAULTS, mode: 'ct', timeConditioning });
    expect(total).toBeLessThanOrEqual(48);
    // No gradient tape (no Identity copies); parameters cut once per buffer; one pass each for the
    // gradient flatten, Adam and both EMAs.
    expect(byName.get('Identity') ?? 0).toBe(0);
    expect(byName.get('MlpParamBlocks')).toBe(2);
    expect(byName.get('FlattenParams')).toBe(1);
    expect(byName.get('FlatAdamUpdate')).toBe(1);
    expect(byName.get('FlatEmaUpdate')).toBe(1);
    expect(byName.get('SplitV') ?? 0).toBe(0);
  }, 60_000);

  // CT's 2D default metric: the same tape-free step with the pseudo-Huber head in place of the l2 one.
  it('CT, pseudo-Huber', async () => {
    const l2 = await kernelsPerStep({ ...DEFAULTS, mode: 'ct' });
    const { total, byName } = await kernelsPerStep({ ...DEFAULTS, mode: 'ct', metric: 'pseudo-huber' });
    console.log('CT kernels: l2', l2.total, 'pseudo-Huber', total);
    expect(total).toBe(l2.total);
    expect(byName.get('Identity') ?? 0).toBe(0);
    expect(byName.get('ConsistencyHuberHead')).toBe(1);
    expect(byName.get('ConsistencyL2Head') ?? 0).toBe(0);
    expect(byName.get('FlatAdamUpdate')).toBe(1);
  }, 60_000);

  it('CD with the exact teacher and Heun', async () => {
    const { total } = await kernelsPerStep({ ...DEFAULTS, mode: 'cd', solver: 'heun' });
    expect(total).toBeLessThanOrEqual(78);
  }, 60_000);
});
