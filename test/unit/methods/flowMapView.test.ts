// The data of the page's flow-map view (flowMapError's `view`): the ladder of noise levels, the exact probe
// states along one ODE trajectory per point, and the learned images of every cell a method has. Checked with
// closed-form "methods" on a single Gaussian, where X*(x, s -> s') = m + (x - m) sqrt((v + s'^2)/(v + s^2)):
// the exact map draws no error, a shifted one draws exactly its shift, the identity a large error.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import type { Mixture } from '../../../src/core/data/mixture';
import { FlowMapProbe, flowMapError, FME_DATA_END } from '../../../src/core/methods/flowMapError';
import { METHOD_IDS, METHOD_INFO } from '../../../src/core/methods/settings/index';
import { edmTime } from '../../../src/core/methods/timeConventions';
import type { FlowMapMethod } from '../../../src/core/methods/types';
import { TrainingSession } from '../../../src/core/run/session';
import { drawnCell, oneStepCell } from '../../../src/state/flowMapStore';
import type { Rng } from '../../../src/core/rng';
import { fakeContext, fakeNet } from './fakeNets';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const M = [0.5, -0.5];
const S = 0.3;
const gauss: Mixture = { weights: Float64Array.of(1), means: Float64Array.from(M), stds: Float64Array.of(S), dim: 2 };
const data = { dataShape: [2], sample: (n: number, rng: Rng) => Float32Array.from(rng.normals(2 * n, S), (v, i) => v + M[i % 2]) };
const ctx = { ...fakeContext(fakeNet((x) => x)), data };

/** A closed-form method in EDM time: the exact Gaussian map, shifted by `shift`; `scale` 0 gives the identity. */
function closedForm(jumps: 'data-end' | 'any', shift = 0, identity = false): FlowMapMethod {
  return {
    id: jumps === 'any' ? 'flow' : 'ct', time: edmTime, timeInputs: 1, jumps,
    jump: (_ctx, _p, x, t, s) => {
      if (identity) return tf.add(x, 0);
      // 'data-end' methods get s = 0 from flowMapEdm; their end is the data end (eps), as for CD/CT.
      const k = Float32Array.from(t, (ti, i) => Math.sqrt((S * S + Math.max(s[i], FME_DATA_END) ** 2) / (S * S + ti * ti)));
      const m = tf.tensor1d(M);
      return tf.add(tf.add(m, tf.mul(tf.sub(x, m), tf.tensor2d(k, [k.length, 1]))), shift);
    },
    sample: () => [],
    sampleBudgets: () => [1],
  };
}

const probe = new FlowMapProbe(gauss, data, 3, 80, 64);

describe('flow-map view data', () => {
  it('has the ladder T, 10, 2, 0.5, 0.1 -> data end, a triangle of cells for "any" and a column for "data-end"', async () => {
    const any = (await flowMapError(closedForm('any'), ctx, [], probe)).view;
    expect(any.sigmas).toEqual([80, 10, 2, 0.5, 0.1, 0.002]);
    expect(any.count).toBe(64);
    expect(any.exact).toHaveLength(6);
    for (const e of any.exact) expect(e).toHaveLength(128);
    expect(any.cells).toHaveLength(15); // 5 + 4 + 3 + 2 + 1
    for (const c of any.cells) {
      expect(c.to).toBeGreaterThan(c.from);
      expect(c.learned).toHaveLength(128);
    }
    const end = (await flowMapError(closedForm('data-end'), ctx, [], probe)).view;
    expect(end.jumps).toBe('data-end');
    expect(end.cells.map((c) => [c.from, c.to])).toEqual([[0, 5], [1, 5], [2, 5], [3, 5], [4, 5]]);
    // T below 80 caps the first level and drops the levels above it.
    expect(new FlowMapProbe(gauss, data, 3, 5, 8).levels).toEqual([5, 2, 0.5, 0.1, 0.002]);
  });

  it('the exact probe states follow the closed-form map down the ladder', () => {
    const L = probe.levels;
    const x = probe.at(L[0]);
    for (let j = 1; j < L.length; j++) {
      const k = Math.sqrt((S * S + L[j] ** 2) / (S * S + L[0] ** 2));
      const y = probe.at(L[j]);
      for (let i = 0; i < x.length; i++) expect(Math.abs(y[i] - (M[i % 2] + (x[i] - M[i % 2]) * k))).toBeLessThan(1e-4);
    }
  });

  it('the exact map draws no error in any cell; its one-step cell is the reported one-step error', async () => {
    for (const jumps of ['any', 'data-end'] as const) {
      const r = await flowMapError(closedForm(jumps), ctx, [], probe);
      for (const c of r.view.cells) {
        expect(c.error, `${jumps} ${c.from} -> ${c.to}`).toBeLessThan(2e-4);
        const exact = r.view.exact[c.to];
        for (let i = 0; i < exact.length; i++) expect(Math.abs(c.learned[i] - exact[i])).toBeLessThan(1e-3);
      }
      expect(r.view.cells.find((c) => c.from === 0 && c.to === 5)!.error).toBe(r.oneStep);
    }
  });

  it('a map shifted by 0.1 draws 0.1 / sigma_data in every cell; the identity draws large errors', async () => {
    const shifted = await flowMapError(closedForm('any', 0.1), ctx, [], probe);
    for (const c of shifted.view.cells) expect(c.error).toBeCloseTo(0.1 / ctx.config.sigmaData, 3);
    const identity = await flowMapError(closedForm('any', 0, true), ctx, [], probe);
    const oneStep = identity.view.cells.find((c) => c.from === 0 && c.to === 5)!;
    expect(oneStep.error).toBeGreaterThan(50); // points at sigma = 80 stay there
    // Every map that starts at sigma >= 2 moves the points by more than sigma_data.
    for (const c of identity.view.cells.filter((c) => identity.view.sigmas[c.from] >= 2)) expect(c.error).toBeGreaterThan(1);
    expect(identity.oneStep).toBe(oneStep.error);
  });
});

describe('the cell the view draws', () => {
  it('is the one-step map by default, the picked levels where the method has that map, else the data end', async () => {
    const any = (await flowMapError(closedForm('any', 0.1), ctx, [], probe)).view;
    const end = (await flowMapError(closedForm('data-end', 0.1), ctx, [], probe)).view;
    const at = (v: typeof any, sigmaFrom: number | null, sigmaTo: number | null) => {
      const c = drawnCell(v, { sigmaFrom, sigmaTo });
      return [v.sigmas[c.from], v.sigmas[c.to]];
    };
    expect(at(any, null, null)).toEqual([80, 0.002]);
    expect(drawnCell(any, { sigmaFrom: null, sigmaTo: null })).toBe(oneStepCell(any));
    expect(at(any, 2, 0.5)).toEqual([2, 0.5]);
    expect(at(any, 2.2, 0.45)).toEqual([2, 0.5]); // nearest levels on the ladder
    expect(at(any, 0.5, 10)).toEqual([0.5, 0.1]); // an end above the start: the nearest end below it
    expect(at(end, 2, 0.5)).toEqual([2, 0.002]); // consistency models map to the data end only
    expect(at(end, 0.002, null)).toEqual([0.1, 0.002]); // the data end is no start
  });
});

describe('flow-map view from a training session', () => {
  const tiny: Config = { ...DEFAULTS, width: 16, depth: 2, timeFeatures: 8, batchSize: 32, taus: [1], ectPrefitSteps: 2 };

  it.each(['ct', 'meanflow'] as const)('%s: evaluate() carries the view; its one-step cell is fme1', async (mode) => {
    const s = new TrainingSession({ ...tiny, mode }, {}, 50);
    (await s.trainStep()).loss.dispose();
    const q = await s.evaluate();
    const v = q.fmeView!;
    expect(v.jumps).toBe(mode === 'ct' ? 'data-end' : 'any');
    expect(v.cells).toHaveLength(mode === 'ct' ? 5 : 15);
    expect(v.cells.find((c) => c.from === 0 && c.to === v.sigmas.length - 1)!.error).toBe(q.fme1);
    for (const c of v.cells) expect(c.learned.every(Number.isFinite)).toBe(true);
    s.dispose();
  }, 60_000);

  it.each(METHOD_IDS)('%s: the view has a column (consistency models) or a triangle of finite maps', async (mode) => {
    const s = new TrainingSession({ ...tiny, mode }, {}, 20);
    const v = (await s.flowMapError())!.view;
    expect(v.cells).toHaveLength(METHOD_INFO[mode].consistency ? 5 : 15);
    for (const c of v.cells) expect(c.learned.every(Number.isFinite)).toBe(true);
    s.dispose();
  }, 60_000);

  it('drawn points are a mixture too (each point a Gaussian of the point smoothing), so the view exists', async () => {
    const points = Float64Array.of(0, 0, 1, 1, 2, 0, -1, 2, 0.5, -1);
    const s = new TrainingSession({ ...tiny, mode: 'flow', dataset: 'custom' }, { points }, 50);
    const q = await s.evaluate();
    expect(q.fmeView!.cells).toHaveLength(15);
    expect(Number.isFinite(q.fme1)).toBe(true);
    s.dispose();
  }, 60_000);
});
