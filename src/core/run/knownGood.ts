// Known-good checkpoints. A trainer state counts as good only when every tensor in it is finite AND a loss
// computed from exactly those weights came back finite. The loss of step k + 1 is computed from the state
// after step k (before its own update), so a state captured at step k waits as a candidate until the loss of
// step k + 1 has been read; only then is it promoted. Saving the weights after the latest update as "good"
// (what this replaced) could hand back weights that an exploding update had already ruined.
import type * as tf from '@tensorflow/tfjs';
import type { TrainerCheckpoint } from '../cm/consistencyTrainer';

/** What a trainer must offer to be checkpointed and checked (the consistency trainer does). */
export interface CheckpointableTrainer {
  readonly step: number;
  checkpoint(): Promise<TrainerCheckpoint>;
  restore(c: TrainerCheckpoint): void;
  trainStep(): { loss: tf.Scalar };
}

function firstNonFinite(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

/** Names the first non-finite tensor of a checkpoint, or null when all are finite. */
export function nonFinitePart(c: TrainerCheckpoint): string | null {
  const groups: [string, readonly ArrayLike<number>[] | null][] = [
    ['online weights', c.online], ['target weights', c.target], ['evaluation EMA', c.evalEma],
    ['optimizer first moment', [c.optimizer.m]], ['optimizer second moment', [c.optimizer.v]],
  ];
  for (const [name, tensors] of groups) {
    for (let t = 0; t < (tensors?.length ?? 0); t++) {
      const i = firstNonFinite(tensors![t]);
      if (i >= 0) return `${name} (tensor ${t}, element ${i} is ${tensors![t][i]})`;
    }
  }
  return null;
}

export class KnownGoodCheckpoints {
  private good: TrainerCheckpoint | null = null;
  private candidate: TrainerCheckpoint | null = null;

  /** The newest state that passed both checks, or null. */
  get lastGood(): TrainerCheckpoint | null {
    return this.good;
  }

  /** Step of the state waiting for its own loss, or null. */
  get candidateStep(): number | null {
    return this.candidate?.step ?? null;
  }

  /** Forgets everything (a new trainer, or weights loaded from a file). */
  reset(): void {
    this.good = null;
    this.candidate = null;
  }

  /** Keeps the trainer's current state as the candidate, if all its tensors are finite. Returns whether it did. */
  async capture(trainer: CheckpointableTrainer): Promise<boolean> {
    const c = await trainer.checkpoint();
    if (nonFinitePart(c) !== null) return false;
    this.candidate = c;
    return true;
  }

  /**
   * The losses of every step up to and including `step` were read and finite: a candidate whose own loss
   * (that of step candidate.step + 1) is among them becomes the last good state.
   */
  confirmThrough(step: number): void {
    if (this.candidate && this.candidate.step + 1 <= step) {
      this.good = this.candidate;
      this.candidate = null;
    }
  }

  /** Drops a candidate that no finite loss confirmed (after a non-finite loss). */
  dropCandidate(): void {
    this.candidate = null;
  }

  /**
   * Checks the trainer's current state at once: one training step from it gives the loss of exactly these
   * weights (the same batch the next real step draws), then the state is put back bit for bit. Costs one step.
   * Returns whether the state is good (it is then the last good state).
   */
  async verifyCurrent(trainer: CheckpointableTrainer): Promise<boolean> {
    if (this.good && this.good.step === trainer.step) return true;
    const c = await trainer.checkpoint();
    if (nonFinitePart(c) !== null) return false;
    let value: number;
    try {
      const { loss } = trainer.trainStep();
      try {
        value = (await loss.data())[0];
      } finally {
        loss.dispose();
      }
    } finally {
      trainer.restore(c); // also after a failed step (out of memory, lost device): the run is as it was
    }
    if (!Number.isFinite(value)) return false;
    this.good = c;
    if (this.candidate && this.candidate.step <= c.step) this.candidate = null;
    return true;
  }
}
