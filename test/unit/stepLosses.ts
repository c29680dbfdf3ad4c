// Steps a trainer or training session n times and returns each step's loss (read, then freed), for tests
// that only look at the losses: no known-good bookkeeping, no evaluation.
import type * as tf from '@tensorflow/tfjs';

type Stepped = { loss: tf.Scalar };

export async function stepLosses(t: { trainStep(): Stepped | Promise<Stepped> }, n: number): Promise<number[]> {
  const losses: number[] = [];
  for (let k = 0; k < n; k++) {
    const r = await t.trainStep();
    losses.push((await r.loss.data())[0]);
    r.loss.dispose();
  }
  return losses;
}
