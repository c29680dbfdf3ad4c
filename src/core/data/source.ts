import type { Rng } from '../rng';

/** Anything the trainer can draw training examples from: 2D mixtures, MNIST digits. */
export interface DataSource {
  /** Shape of one example, e.g. [2] or [28, 28, 1]. */
  dataShape: number[];
  /** n examples, row-major [n, ...dataShape], in normalised units. */
  sample(n: number, rng: Rng): Float32Array;
}
