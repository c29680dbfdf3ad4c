// A method's own trainable pieces (TrainingMethod.extraParams, e.g. sCM's adaptive weight w_phi) appended
// to the network's parameter list, so the flat buffers, Adam, the target and evaluation EMAs, checkpoints,
// run files and crash recovery carry them like weights, with no special case anywhere. The network's
// forward reads its own parameters (by position or by name) and never sees them; the method's loss does.
import type { Config } from '../config';
import type { NetworkDef, ParamInfo } from '../models/types';
import type { TrainingMethod } from './types';

/** The method's own pieces for this config (none for most methods). */
export function methodParams(method: TrainingMethod, config: Config): readonly ParamInfo[] {
  return method.extraParams?.(config) ?? [];
}

/**
 * `net` with `extra` appended to its parameters. init draws the network's weights exactly as before (same
 * init stream, so a run's weights do not change), then zeros for the extra pieces.
 */
export function withMethodParams(net: NetworkDef, extra: readonly ParamInfo[]): NetworkDef {
  if (extra.length === 0) return net;
  const clash = extra.find((e) => net.params.some((p) => p.name === e.name));
  if (clash) throw new Error(`the method's parameter "${clash.name}" has the name of a network parameter`);
  const params = [...net.params, ...extra];
  return {
    spec: net.spec,
    params,
    init: (rng) => completeParams(net.init(rng), params),
    forward: (p, xIn, cNoise) => net.forward(p, xIn, cNoise),
  };
}

/** A parameter list of the bare network (a teacher's weights, a weights file) completed with zeros for the rest of `params`. */
export function completeParams(values: readonly Float32Array[], params: readonly ParamInfo[]): Float32Array[] {
  if (values.length > params.length) throw new Error(`expected at most ${params.length} parameter tensors, got ${values.length}`);
  return params.map((p, i) => values[i] ?? new Float32Array(p.shape.reduce((a, b) => a * b, 1)));
}

/** Position of a parameter in a list (the method's loss finds its pieces by name). */
export function paramIndex(params: readonly ParamInfo[], name: string): number {
  const i = params.findIndex((p) => p.name === name);
  if (i < 0) throw new Error(`parameter "${name}" is not among the trainer's parameters (${params.length} pieces)`);
  return i;
}
