// Where each parameter of a network lives in one flat buffer: in the network's parameter order, each
// parameter row-major, no padding (so the Adam moments' on-disk layout is this layout too).
import * as tf from '@tensorflow/tfjs';
import type { ParamInfo } from './types';
import { hostBackend } from './hostKernel';
import { FLATTEN_KERNEL, registerUnflattenKernel, UNFLATTEN_KERNEL } from './unflattenKernel';

export class ParamLayout {
  readonly shapes: number[][];
  readonly sizes: number[];
  readonly offsets: number[];
  readonly total: number;

  constructor(params: readonly ParamInfo[]) {
    this.shapes = params.map((p) => [...p.shape]);
    this.sizes = this.shapes.map((s) => s.reduce((a, b) => a * b, 1));
    this.offsets = [];
    let o = 0;
    for (const n of this.sizes) {
      this.offsets.push(o);
      o += n;
    }
    this.total = o;
    registerUnflattenKernel();
  }

  /** Per-parameter arrays -> one flat array (checks every size). */
  flatten(values: readonly Float32Array[]): Float32Array {
    if (values.length !== this.sizes.length) throw new Error(`expected ${this.sizes.length} parameter tensors, got ${values.length}`);
    const out = new Float32Array(this.total);
    values.forEach((v, i) => {
      if (v.length !== this.sizes[i]) throw new Error(`parameter ${i}: expected ${this.sizes[i]} values for shape [${this.shapes[i]}], got ${v.length}`);
      out.set(v, this.offsets[i]);
    });
    return out;
  }

  /** One flat array -> per-parameter copies. */
  split(flat: Float32Array): Float32Array[] {
    return this.sizes.map((n, i) => flat.slice(this.offsets[i], this.offsets[i] + n));
  }

  /** Flat tensor -> shaped parameter tensors: one kernel on cpu and wasm, split + reshape elsewhere. */
  unflatten(flat: tf.Tensor): tf.Tensor[] {
    if (hostBackend()) {
      return tf.engine().runKernel(UNFLATTEN_KERNEL, { x: flat }, { shapes: this.shapes, offsets: this.offsets } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
    }
    return this.unflattenByOps(flat);
  }

  /** The portable path (GPU backends): split + reshape. */
  unflattenByOps(flat: tf.Tensor): tf.Tensor[] {
    return tf.tidy(() => tf.split(flat, this.sizes).map((p, i) => (this.shapes[i].length === 1 ? p : tf.reshape(p, this.shapes[i]))));
  }

  /** Per-parameter tensors (e.g. gradients), in layout order -> one flat tensor. */
  concat(parts: readonly tf.Tensor[]): tf.Tensor1D {
    if (hostBackend() && parts.every((p) => p.dtype === 'float32')) {
      const inputs: tf.NamedTensorMap = {};
      parts.forEach((p, i) => (inputs[`p${i}`] = p));
      return tf.engine().runKernel(FLATTEN_KERNEL, inputs, { offsets: this.offsets, total: this.total } as unknown as tf.NamedAttrMap) as tf.Tensor1D;
    }
    return this.concatByOps(parts);
  }

  /** The portable path (GPU backends): reshape + concat. */
  concatByOps(parts: readonly tf.Tensor[]): tf.Tensor1D {
    return tf.tidy(() => tf.concat(parts.map((p) => (p.rank === 1 ? p : tf.reshape(p, [-1])))) as tf.Tensor1D);
  }
}
