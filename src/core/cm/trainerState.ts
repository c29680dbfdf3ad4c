// The weights, optimiser and random streams that every trainer carries (CD/CT's ConsistencyTrainer and
// every other method's MethodTrainer): made, saved, restored and freed here, so run files and crash
// recovery see one checkpoint shape whichever trainer wrote it. Nothing here runs inside a step.
import type { Config } from '../config';
import type { ParamLayout } from '../models/flatLayout';
import { FlatParams } from '../models/paramSet';
import type { RunStreams } from '../rng';
import type { TrainerCheckpoint } from './consistencyTrainer';
import { FlatAdam } from './optimizer';

export interface TrainerWeights {
  readonly online: FlatParams;
  /** theta^-, or null when the target is the online network itself. */
  readonly target: FlatParams | null;
  readonly evalEma: FlatParams;
  readonly optimizer: FlatAdam;
}

/** What a checkpoint reads and a restore writes: the weights, the streams and the step counter. */
export interface TrainerState extends TrainerWeights {
  readonly streams: RunStreams;
  step: number;
}

/** Online, (optional) target and evaluation EMA all start at `init`; the optimiser from the config. */
export function makeTrainerWeights(c: Config, layout: ParamLayout, init: readonly Float32Array[], withTarget: boolean): TrainerWeights {
  return {
    online: new FlatParams(layout, init, 'online/'),
    target: withTarget ? new FlatParams(layout, init, 'target/') : null,
    evalEma: new FlatParams(layout, init, 'ema/'),
    optimizer: new FlatAdam(layout.total, {
      kind: c.optimizer, lr: c.lr, beta1: c.beta1, beta2: c.beta2, epsilon: c.adamEps, warmupSteps: c.warmupSteps, gradClip: c.gradClip,
    }),
  };
}

export async function readCheckpoint(t: TrainerState): Promise<TrainerCheckpoint> {
  const [online, target, evalEma, optimizer] = await Promise.all([
    t.online.read(),
    t.target ? t.target.read() : Promise.resolve(null),
    t.evalEma.read(),
    t.optimizer.getState(),
  ]);
  return {
    step: t.step, online, target, evalEma, optimizer,
    rng: { data: t.streams.data.getState(), train: t.streams.train.getState() },
  };
}

/** A checkpoint without a target (written while the target was the online net) restores it from online. */
export function restoreCheckpoint(t: TrainerState, c: TrainerCheckpoint): void {
  t.online.assign(c.online);
  if (t.target) t.target.assign(c.target ?? c.online);
  t.evalEma.assign(c.evalEma);
  t.optimizer.setState(c.optimizer);
  t.streams.data.setState(c.rng.data);
  t.streams.train.setState(c.rng.train);
  t.step = c.step;
}

export function disposeTrainerWeights(t: TrainerWeights): void {
  t.online.dispose();
  t.target?.dispose();
  t.evalEma.dispose();
  t.optimizer.dispose();
}
