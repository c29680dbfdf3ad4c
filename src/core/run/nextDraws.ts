// The draws the trainer's next step will make, computed on copies of its random streams (the run itself
// does not move). A run bundle carries them so another trainer (scripts/torch/continue.py) can replay the
// next step exactly and check its loss against ours.
import type { ConsistencyTrainer, StepDraws } from '../cm/consistencyTrainer';
import type { MethodTrainer } from '../methods/methodTrainer';
import type { MethodDraws } from '../methods/types';
import { Rng } from '../rng';

function copyOf(r: Rng): Rng {
  const c = new Rng(0);
  c.setState(r.getState());
  return c;
}

export function peekNextDraws(trainer: ConsistencyTrainer): StepDraws {
  return trainer.draw(trainer.scheduleAt(), { data: copyOf(trainer.streams.data), train: copyOf(trainer.streams.train) });
}

/** The same for the generic trainer: the method's own draws (MethodDraws of ect, meanflow, shortcut, ...). */
export function peekNextMethodDraws(trainer: MethodTrainer): MethodDraws {
  const { method, ctx } = trainer.parts;
  return method.draw(ctx, { data: copyOf(trainer.streams.data), train: copyOf(trainer.streams.train) }, trainer.step);
}
