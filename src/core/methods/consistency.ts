// CD and CT as flow-map methods for sampling, views and the flow-map error: f(x, t) maps to the data end
// (t = eps) and multistep sampling is Algorithm 1. They TRAIN in cm/consistencyTrainer.ts, not here.
import { consistencyFunction } from '../cm/consistencyFunction';
import { multistepSampleTensors } from '../cm/sampling';
import { edmTime } from './timeConventions';
import type { FlowMapMethod, MethodContext, MethodId, UnitNoise } from './types';

function scalings(ctx: MethodContext) {
  const c = ctx.config;
  return { eps: c.eps, T: c.T, sigmaData: c.sigmaData, cNoiseConvention: c.cNoiseConvention, clampToImageRange: c.dataset === 'mnist' };
}

function consistencyMethod(id: MethodId): FlowMapMethod {
  return {
    id,
    time: edmTime,
    timeInputs: 1,
    jumps: 'data-end',
    jump: (ctx, params, x, t) => consistencyFunction(ctx.net, params, x, Float64Array.from(t, (v) => Math.max(v, ctx.config.eps)), scalings(ctx)),
    sample(ctx, params, noise: UnitNoise) {
      return multistepSampleTensors(ctx.net, params, { initial: noise.initial, perTau: noise.perStep }, ctx.config.taus, [...ctx.dataShape], scalings(ctx));
    },
    sampleBudgets: (c) => [1, ...c.taus.map((_, i) => i + 2)],
  };
}

export const cdMethod = consistencyMethod('cd');
export const ctMethod = consistencyMethod('ct');
