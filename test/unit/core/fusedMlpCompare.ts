// Shared by fusedMlp.test.ts and fusedMlpFallback.test.ts: the tape-free step's loss and flat gradient
// against the plain path (mlp.ts's forward, applyNet for the target, tfjs autodiff through the l2 loss, or
// through mean(lambda * pseudoHuberDistance(c)) when huberC is given).
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { pseudoHuberDistance } from '../../../src/core/cm/distance';
import { fusedLossAndGrad } from '../../../src/core/cm/fusedStep';
import { l2LossOfF } from '../../../src/core/cm/l2Loss';
import { applyNet, deviceInputs, hostInputs } from '../../../src/core/cm/netInputs';
import { ParamLayout } from '../../../src/core/models/flatLayout';
import { fusedMlpPlan } from '../../../src/core/models/fusedMlp';
import { createMlp } from '../../../src/core/models/mlp';
import type { MlpSpec } from '../../../src/core/models/types';
import { Rng } from '../../../src/core/rng';

const scalings = { eps: 0.002, sigmaData: 0.5, cNoiseConvention: 'jax' as const };
export const base: MlpSpec = { kind: 'mlp', dataShape: [2], width: 8, depth: 3, activation: 'silu', timeFeatures: 4 };

/** Returns the names of the kernels the fused step ran. */
export async function compareWithAutodiff(spec: MlpSpec, targetOnDevice: boolean, ownTarget: boolean, huberC: number | null = null, B = 7): Promise<string[]> {
  const rng = new Rng(3);
  const net = createMlp(spec);
  const layout = new ParamLayout(net.params);
  const plan = fusedMlpPlan(net, layout)!;
  expect(plan).not.toBeNull();
  // Random non-zero values everywhere (the real init zeroes the output layer, which would hide gradients).
  const online = tf.tensor1d(rng.normals(layout.total).map((v) => 0.5 * v));
  const target = ownTarget ? tf.tensor1d(rng.normals(layout.total).map((v) => 0.5 * v)) : null;
  const t = Float64Array.from({ length: B }, () => 0.002 + 5 * rng.uniform());
  const tCur = t.map((v) => v * 0.7);
  const x = rng.normals(B * 2).map((v) => 2 * v);
  const lambda = Float64Array.from({ length: B }, () => 0.5 + rng.uniform());
  const inp = hostInputs(x, t, [B, 2], scalings);
  const xCur = x.map((v) => 0.9 * v);
  const tInp = targetOnDevice ? deviceInputs(tf.tensor2d(xCur, [B, 2]), tCur, scalings) : hostInputs(xCur, tCur, [B, 2], scalings);

  let ours!: ReturnType<typeof fusedLossAndGrad>;
  const profile = await tf.profile(() => {
    ours = fusedLossAndGrad(plan, online, target, inp, tInp, lambda, huberC);
    return [ours.value, ours.grad];
  });
  const pieces = layout.unflattenByOps(online);
  const f = applyNet(net, target ? layout.unflattenByOps(target) : pieces, tInp);
  let lossOf: (ps: tf.Tensor[]) => tf.Scalar;
  if (huberC === null) {
    const l2 = l2LossOfF(inp, inp.outValues, f, lambda);
    lossOf = (ps) => l2(net.forward(ps, inp.xIn, inp.noise));
  } else {
    const lam = tf.tensor1d(Float32Array.from(lambda));
    lossOf = (ps) => tf.mean(tf.mul(lam, pseudoHuberDistance(huberC)(applyNet(net, ps, inp), f)));
  }
  const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => lossOf(ps))(pieces);
  const ref = layout.concatByOps(grads);

  const lv = (await value.data())[0];
  expect(Math.abs((await ours.value.data())[0] - lv) / lv).toBeLessThan(1e-5);
  const a = await ours.grad.data();
  const b = await ref.data();
  const scale = Math.max(...Array.from(b, Math.abs));
  let worst = 0;
  b.forEach((v, i) => (worst = Math.max(worst, Math.abs(a[i] - v) / scale)));
  expect(worst).toBeLessThan(1e-5);
  return profile.kernels.map((k) => k.name);
}

