// What every trainer carries (CD/CT's ConsistencyTrainer and every other method's MethodTrainer): the
// random streams, the flat online / target / evaluation-EMA weights, the optimiser and the step counter,
// made, checkpointed, restored and freed here, so run files and crash recovery see one checkpoint shape
// whichever trainer wrote it. Nothing here runs inside a step.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../config';
import { ParamLayout } from '../models/flatLayout';
import { FlatParams } from '../models/paramSet';
import type { NetworkDef } from '../models/types';
import { runStreams, type RunStreams } from '../rng';
import type { TrainerCheckpoint } from './consistencyTrainer';
import { FlatAdam } from './optimizer';

export abstract class TrainerState {
  readonly streams: RunStreams;
  readonly layout: ParamLayout;
  /** The online weights theta, one flat buffer (layout order). */
  readonly online: FlatParams;
  /** theta^-, or null when the target is the online network itself for the whole run. */
  readonly target: FlatParams | null;
  /** The separate evaluation EMA used for sampling (reference section 8). */
  readonly evalEma: FlatParams;
  readonly optimizer: FlatAdam;
  step = 0;

  /** Starts from `initialParams`, or from weights drawn from the init stream of `c.seed`. */
  protected constructor(c: Config, net: NetworkDef, initialParams: Float32Array[] | undefined, withTarget: boolean) {
    this.streams = runStreams(c.seed);
    const init = initialParams ?? net.init(this.streams.init);
    this.layout = new ParamLayout(net.params);
    this.online = new FlatParams(this.layout, init, 'online/');
    this.target = withTarget ? new FlatParams(this.layout, init, 'target/') : null;
    this.evalEma = new FlatParams(this.layout, init, 'ema/');
    this.optimizer = new FlatAdam(this.layout.total, {
      kind: c.optimizer, lr: c.lr, beta1: c.beta1, beta2: c.beta2, epsilon: c.adamEps, warmupSteps: c.warmupSteps, gradClip: c.gradClip,
      decay: c.lrDecay, decaySteps: c.steps,
    });
  }

  /** Parameters for sampling (the evaluation EMA, or the raw online weights), valid until dispose(). */
  samplingParams(which: 'ema' | 'online' = 'ema'): tf.Tensor[] {
    return which === 'ema' ? this.evalEma.params() : this.online.params();
  }

  async checkpoint(): Promise<TrainerCheckpoint> {
    const [online, target, evalEma, optimizer] = await Promise.all([
      this.online.read(),
      this.target ? this.target.read() : Promise.resolve(null),
      this.evalEma.read(),
      this.optimizer.getState(),
    ]);
    return {
      step: this.step, online, target, evalEma, optimizer,
      rng: { data: this.streams.data.getState(), train: this.streams.train.getState() },
    };
  }

  /** A checkpoint without a target (written while the target was the online net) restores it from online. */
  restore(c: TrainerCheckpoint): void {
    this.online.assign(c.online);
    if (this.target) this.target.assign(c.target ?? c.online);
    this.evalEma.assign(c.evalEma);
    this.optimizer.setState(c.optimizer);
    this.streams.data.setState(c.rng.data);
    this.streams.train.setState(c.rng.train);
    this.step = c.step;
  }

  dispose(): void {
    this.online.dispose();
    this.target?.dispose();
    this.evalEma.dispose();
    this.optimizer.dispose();
  }
}
