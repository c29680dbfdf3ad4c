// Every few-step loss against its independent PyTorch reference (scripts/torch/methods_ref.py, written from
// few-step-methods.md, float64, forward-mode JVPs): the same weights and draws go through the method's
// target() and loss() here, and the loss and its gradient with respect to every weight must agree to 1e-4
// (relative to the largest entry). Regenerate with `/usr/bin/python3 scripts/torch/methods_ref.py fixture`.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { readSafetensors } from '../../../src/core/io/safetensors';
import { toFloat32, type HostTensor } from '../../../src/core/io/tensor';
import { ectMethod } from '../../../src/core/methods/ect';
import { flowMethod } from '../../../src/core/methods/flow';
import { meanflowMethod } from '../../../src/core/methods/meanflow';
import { withMethodParams } from '../../../src/core/methods/methodParams';
import { adaptiveObjective, adaptiveWeight, adaptiveWeightParams, scdMethod, sctMethod, type ScmTarget } from '../../../src/core/methods/scm';
import { shortcutMethod } from '../../../src/core/methods/shortcut';
import type { MethodContext, MethodDraws, TrainingMethod } from '../../../src/core/methods/types';
import { createMlp } from '../../../src/core/models/mlp';
import { MixtureDenoiser } from '../../../src/core/teacher/mixtureDenoiser';
import type { Denoiser } from '../../../src/core/teacher/denoiser';
import { relativeError } from '../relativeError';

let fixture: Map<string, HostTensor>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  fixture = readSafetensors(new Uint8Array(readFileSync(resolve(__dirname, '../../fixtures/methods/parity.safetensors')))).tensors;
});

const f32 = (name: string) => {
  const t = fixture.get(name);
  if (!t) throw new Error(`fixture has no ${name}`);
  return toFloat32(t);
};
const f64 = (name: string) => Float64Array.from(f32(name));

/** The fixture's MLP (and, for `extra`, a method's own pieces after its parameters, as the trainer has them). */
function network(prefix: string, timeInputs: 1 | 2, extra: Config | null = null) {
  const mlp = createMlp({ kind: 'mlp', dataShape: [2], width: 16, depth: 2, activation: 'silu', timeFeatures: 8, timeConditioning: 'every-layer', ...(timeInputs === 2 ? { timeInputs: 2 as const } : {}) });
  const net = extra ? withMethodParams(mlp, adaptiveWeightParams(extra)) : mlp;
  const params = net.params.map((p) => tf.tensor(f32(`${prefix}.param.${p.name}`), p.shape));
  return { net, params };
}

const exactTeacher = () => new MixtureDenoiser({ weights: Float64Array.of(0.3, 0.7), means: Float64Array.of(-1, 0, 1, 0.5), stds: Float64Array.of(0.1, 0.3), dim: 2 });

/** Loss and gradient errors of one method on the fixture's case `name` (weights under `weightsOf`). */
function parity<D extends MethodDraws>(
  name: string, method: TrainingMethod<D, unknown>, draws: D, step: number, config: Partial<Config>, weightsOf = name, teacher: Denoiser | null = null,
): { loss: number; grad: number; objective: number } {
  const c = { ...DEFAULTS, batchSize: draws.x0.length / 2, activation: 'silu', ...config } as Config;
  const adaptive = c.scmAdaptiveWeight === 'learned';
  const { net, params } = network(weightsOf, method.timeInputs, adaptive ? c : null);
  const ctx: MethodContext = { config: c, net, dataShape: [2], data: { dataShape: [2], sample: () => draws.x0 }, teacher, exact: teacher };
  const result = tf.tidy(() => {
    const target = method.target(ctx, params, draws, step);
    const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => method.loss(ctx, ps, draws, target, step))(params);
    // With w_phi the loss reported is the unweighted one; its gradient is the objective's (checked separately).
    const loss = relativeError(value.dataSync(), f32(`${name}.${adaptive ? 'shown' : 'loss'}`));
    const got = grads.flatMap((g) => Array.from(g.dataSync()));
    const want = net.params.flatMap((p) => Array.from(f32(`${name}.grad.${p.name}`)));
    let objective = 0;
    if (adaptive) {
      const t = target as ScmTarget;
      const obj = adaptiveObjective(net.forward(params, t.xIn, t.cond), t.target, adaptiveWeight(ctx, params, t.cond));
      objective = relativeError(obj.dataSync(), f32(`${name}.loss`));
    }
    return { loss, grad: relativeError(got, want), objective };
  });
  tf.dispose(params);
  return result;
}

const TOL = 1e-4;

describe('MeanFlow, sCT and sCD against PyTorch (exact JVP route)', () => {
  const meanflowDraws = () => ({ x0: f32('meanflow.input.x0'), e: f32('meanflow.input.e'), t: f64('meanflow.input.t'), r: f64('meanflow.input.r') });
  const scmDraws = (n: string) => ({ x0: f32(`${n}.input.x0`), z: f32(`${n}.input.z`), t: f64(`${n}.input.t`) });
  // Tangent warm-up r = 0.5: H = 100 steps after no pre-training, at step 50.
  const scm = { scmPretrain: 0, scmWarmup: 100, scmC: 0.1, steps: 1000 };

  it('MeanFlow: loss and gradient to 1e-4 (p = 0.75, eta = 1e-3, a third of the rows with r = t)', () => {
    const e = parity('meanflow', meanflowMethod, meanflowDraws(), 0, { mode: 'meanflow', mfPower: 0.75, mfEta: 1e-3, jvpRoute: 'exact' });
    expect(e.loss).toBeLessThan(TOL);
    expect(e.grad).toBeLessThan(TOL);
  });

  it('sCT: loss and gradient to 1e-4 (warm-up r = 0.5, c = 0.1)', () => {
    const e = parity('sct', sctMethod, scmDraws('sct'), 50, { mode: 'sct', ...scm, jvpRoute: 'exact' });
    expect(e.loss).toBeLessThan(TOL);
    expect(e.grad).toBeLessThan(TOL);
  });

  it('sCD with the exact mixture teacher: loss and gradient to 1e-4', () => {
    const e = parity('scd', scdMethod, scmDraws('scd'), 50, { mode: 'scd', ...scm, jvpRoute: 'exact' }, 'scd', exactTeacher());
    expect(e.loss).toBeLessThan(TOL);
    expect(e.grad).toBeLessThan(TOL);
  });

  it('sCT diffusion pre-training (Eq. 4): loss and gradient to 1e-4', () => {
    const e = parity('sct_pretrain', sctMethod, scmDraws('sct_pretrain'), 10, { mode: 'sct', ...scm, scmPretrain: 100 });
    expect(e.loss).toBeLessThan(TOL);
    expect(e.grad).toBeLessThan(TOL);
  });
});

describe('sCT and sCD with the learned adaptive weight w_phi against PyTorch', () => {
  // w_phi drawn away from 0 (weight 0.4 N(0, 1), bias 0.5 N(0, 1)) so e^w matters; its gradient is compared too.
  const scm = { scmPretrain: 0, scmWarmup: 100, scmC: 0.1, steps: 1000, scmAdaptiveWeight: 'learned' as const, timeFeatures: 8 };
  const draws = (n: string) => ({ x0: f32(`${n}.input.x0`), z: f32(`${n}.input.z`), t: f64(`${n}.input.t`) });

  it.each([['exact', 'sct_wphi'], ['fd', 'sct_wphi'], ['exact', 'scd_wphi'], ['fd', 'scd_wphi']] as const)(
    '%s JVP route, %s: objective, reported loss and every gradient (w_phi\'s included) to 1e-4', (jvpRoute, name) => {
      const method = name === 'sct_wphi' ? sctMethod : scdMethod;
      const e = parity(name, method, draws(name), 50, { mode: method.id, ...scm, jvpRoute }, name, name === 'scd_wphi' ? exactTeacher() : null);
      expect(f32(`${name}.grad.wphi.bias`)[0]).not.toBe(0);
      expect(e.objective).toBeLessThan(TOL);
      expect(e.loss).toBeLessThan(TOL);
      expect(e.grad).toBeLessThan(TOL);
    });
});

describe('the default (finite-difference) JVP route against PyTorch', () => {
  // The central difference at h = 0.01 is within ~1e-4 of the exact JVP; through the target and the loss
  // that moved the gradient by 1e-6 to 3e-6 here, so the same 1e-4 holds.
  it('MeanFlow, sCT and sCD also agree to 1e-4 with the finite-difference route', () => {
    const scm = { scmPretrain: 0, scmWarmup: 100, scmC: 0.1, steps: 1000, jvpRoute: 'fd' as const };
    const errs = [
      parity('meanflow', meanflowMethod, { x0: f32('meanflow.input.x0'), e: f32('meanflow.input.e'), t: f64('meanflow.input.t'), r: f64('meanflow.input.r') }, 0, { mode: 'meanflow', jvpRoute: 'fd' }),
      parity('sct', sctMethod, { x0: f32('sct.input.x0'), z: f32('sct.input.z'), t: f64('sct.input.t') }, 50, { mode: 'sct', ...scm }),
      parity('scd', scdMethod, { x0: f32('scd.input.x0'), z: f32('scd.input.z'), t: f64('scd.input.t') }, 50, { mode: 'scd', ...scm }, 'scd', exactTeacher()),
    ];
    for (const e of errs) {
      expect(e.loss).toBeLessThan(TOL);
      expect(e.grad).toBeLessThan(TOL);
    }
  });
});

describe('flow matching, ECT and shortcut models against PyTorch', () => {
  it('flow matching: loss and gradient to 1e-4', () => {
    const d = { x0: f32('flow.input.x0'), e: f32('flow.input.e'), t: f64('flow.input.t') };
    const e = parity('flow', flowMethod, d, 0, { mode: 'flow' });
    expect(e.loss).toBeLessThan(TOL);
    expect(e.grad).toBeLessThan(TOL);
  });

  it('ECT with c = 0 and c = 0.03 (rows with r = 0 take x_0 as the target): loss and gradient to 1e-4', () => {
    for (const [name, c] of [['ect', 0], ['ect_c', 0.03]] as const) {
      const d = { x0: f32(`${name}.input.x0`), eps: f32(`${name}.input.eps`), t: f64(`${name}.input.t`), r: f64(`${name}.input.r`), prefit: false };
      expect(d.r[0]).toBe(0);
      const e = parity(name, ectMethod, d, 0, { mode: 'ect', ectC: c }, 'ect');
      expect(e.loss).toBeLessThan(TOL);
      expect(e.grad).toBeLessThan(TOL);
    }
  });

  it('shortcut (M = 8, 8 flow rows, 4 bootstrap rows at D = 1, 1/2, 1/4, 1/4; online targets): loss and gradient to 1e-4', () => {
    const d = { x0: f32('shortcut.input.x0'), noise: f32('shortcut.input.noise'), t: f64('shortcut.input.t'), dNet: f64('shortcut.input.dNet'), flowRows: 8 };
    const e = parity('shortcut', shortcutMethod, d, 0, { mode: 'shortcut', shortcutM: 8, shortcutTargetEma: 0 });
    expect(e.loss).toBeLessThan(TOL);
    expect(e.grad).toBeLessThan(TOL);
  });
});
