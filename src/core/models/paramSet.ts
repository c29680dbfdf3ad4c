import * as tf from '@tensorflow/tfjs';
import { ParamLayout } from './flatLayout';
import type { NetworkDef } from './types';

export async function readVariables(vars: readonly tf.Tensor[]): Promise<Float32Array[]> {
  return Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
}

export function parameterCount(net: NetworkDef): number {
  return net.params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0);
}

/**
 * One network's parameters as ONE flat variable (so EMA and optimiser updates are a few kernels over the
 * whole buffer), plus per-parameter views for code that wants a parameter list (sampling, views, tests).
 * The views are variables of their own, refreshed lazily after the buffer changed: a caller may hold them
 * across awaits and never sees a disposed tensor.
 */
export class FlatParams {
  readonly flat: tf.Variable<tf.Rank.R1>;
  private views: tf.Variable[] | null = null;
  private stale = true;

  constructor(readonly layout: ParamLayout, values: readonly Float32Array[], private readonly prefix: string) {
    const data = layout.flatten(values);
    // tf.variable adds its own reference to the data, so tidy frees the initial tensor.
    this.flat = tf.tidy(() => tf.variable(tf.tensor1d(data), false, `${prefix}flat_${Math.random().toString(36).slice(2)}`));
  }

  /** Replaces the buffer's contents (takes ownership of nothing: `t` stays the caller's). */
  set(t: tf.Tensor): void {
    this.flat.assign(t as tf.Tensor1D);
    this.stale = true;
  }

  /** Same-shaped per-parameter tensors, valid until dispose(). */
  params(): tf.Tensor[] {
    if (!this.stale && this.views) return this.views;
    tf.tidy(() => {
      const pieces = this.layout.unflatten(this.flat);
      if (!this.views) this.views = pieces.map((p, i) => tf.variable(p, false, `${this.prefix}${i}_${Math.random().toString(36).slice(2)}`));
      else this.views.forEach((v, i) => v.assign(pieces[i]));
    });
    this.stale = false;
    return this.views!;
  }

  async read(): Promise<Float32Array[]> {
    return this.layout.split((await this.flat.data()) as Float32Array);
  }

  assign(values: readonly Float32Array[]): void {
    tf.tidy(() => this.set(tf.tensor1d(this.layout.flatten(values))));
  }

  dispose(): void {
    this.flat.dispose();
    tf.dispose(this.views ?? []);
    this.views = null;
  }
}
