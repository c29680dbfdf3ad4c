// Two fused kernels of the hand-differentiated MLP (fusedMlp.ts), each with a plain-tfjs twin that GPU
// backends without fused kernels run (webgpu has WGSL twins: mlpKernelsWebgpu.ts) and that the tests compare against:
// - MlpParamBlocks: cuts [W; b] blocks (contiguous in the flat layout, so bias folds into the product
//   through a ones column) and the transposed weight blocks the backward needs, from the flat buffer at once.
// - MlpActivation: y = act(z) with extra columns appended (time features, ones) and, for training, y's
//   transpose (for the next weight gradient) and act'(z): one pass instead of about five launches.
// On wasm the SiLU and the transposes run in WebAssembly (simdOps.ts), elsewhere as JavaScript loops.
import * as tf from '@tensorflow/tfjs';
import { fusedBackend, hostBackend, registerHostKernel, runHostKernel } from './hostKernel';
import { registerMlpWebgpu } from './mlpKernelsWebgpu';
import { FLATTEN_KERNEL } from './unflattenKernel';
import { simdOps, type SimdOps } from './simdOps';

/** [offset in the flat buffer, rows, cols] of a row-major block. */
export type Block = [number, number, number];

interface BlockAttrs {
  blocks: Block[];
  transposed: Block[];
}

const BLOCKS = 'MlpParamBlocks';
const ACTIVATION = 'MlpActivation';

function registerOnce(): void {
  registerHostKernel<BlockAttrs>({
    name: BLOCKS,
    inputs: ['x'],
    outputShapes: (_s, a) => [...a.blocks.map(([, r, c]) => [r, c]), ...a.transposed.map(([, r, c]) => [c, r])],
    run([src], outs, a, _s, memory) {
      const ops = simdOps(memory);
      a.blocks.forEach(([o, r, c], i) => outs[i].set(src!.subarray(o, o + r * c)));
      a.transposed.forEach(([o, r, c], k) => {
        const dst = outs[a.blocks.length + k];
        if (ops) ops.transpose(src!.byteOffset + 4 * o, dst.byteOffset, r, c);
        else transpose(src!.subarray(o, o + r * c), dst, r, c);
      });
    },
  });
  registerHostKernel<ActAttrs>({
    name: ACTIVATION,
    inputs: ['z', 's', 'ext'],
    outputShapes([z, , ext], a) {
      const [B, W] = z!;
      const cols = W + (ext ? ext[1] : 0);
      return a.train ? [[B, cols], [cols, B], [B, W]] : [[B, cols]];
    },
    run([z, s, ext], [y, yT, d], a, shapes, memory) {
      const [B, W] = shapes[0]!;
      const E = shapes[2] ? shapes[2][1] : 0;
      const ops = simdOps(memory);
      if (a.act === 'silu' && ops && W % 4 === 0) siluSimd(ops, z!, s!, y, W, ext, E, a.train ? d : null);
      else {
        if (a.act === 'silu') silu(z!, s!, y, W, E, a.train ? d : null);
        else relu(z!, y, W, E, a.train ? d : null);
        if (ext) for (let i = 0; i < B; i++) for (let e = 0; e < E; e++) y[i * (W + E) + W + e] = ext[i * E + e];
      }
      if (a.train && ops) ops.transpose(y.byteOffset, yT.byteOffset, B, W + E);
      else if (a.train) transpose(y, yT, B, W + E);
    },
  });
}

// Plain loops with everything hoisted (V8 does not hoist attribute reads out of them); values are computed
// in float64 and rounded once when stored (within float32 rounding of the op chain).
function silu(z: Float32Array, s: Float32Array, y: Float32Array, W: number, E: number, d: Float32Array | null): void {
  const B = z.length / W;
  const C = W + E;
  for (let i = 0; i < B; i++) {
    const zo = i * W;
    const yo = i * C;
    if (d) {
      for (let j = 0; j < W; j++) {
        const sk = s[zo + j];
        const v = z[zo + j] * sk;
        y[yo + j] = v;
        d[zo + j] = sk + v * (1 - sk); // silu'(z) = s + y (1 - s)
      }
    } else {
      for (let j = 0; j < W; j++) y[yo + j] = z[zo + j] * s[zo + j];
    }
  }
}

/** SiLU and the extra columns in one WebAssembly pass (ext's values go into each row of y after its W floats). */
function siluSimd(ops: SimdOps, z: Float32Array, s: Float32Array, y: Float32Array, W: number, ext: Float32Array | null, E: number, d: Float32Array | null): void {
  const B = z.length / W;
  const e = ext ? ext.byteOffset : 0;
  if (d) ops.silu(z.byteOffset, s.byteOffset, y.byteOffset, d.byteOffset, e, B, W, E);
  else ops.siluInfer(z.byteOffset, s.byteOffset, y.byteOffset, e, B, W, E);
}

function relu(z: Float32Array, y: Float32Array, W: number, E: number, d: Float32Array | null): void {
  const B = z.length / W;
  const C = W + E;
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < W; j++) {
      const v = z[i * W + j];
      y[i * C + j] = v > 0 ? v : 0;
      if (d) d[i * W + j] = v > 0 ? 1 : 0;
    }
  }
}

/** [rows, cols] -> [cols, rows], four source rows at a time (four adjacent writes per output row). */
function transpose(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const a = i * cols;
    const b = a + cols;
    const c = b + cols;
    const e = c + cols;
    for (let j = 0; j < cols; j++) {
      const o = j * rows + i;
      out[o] = x[a + j];
      out[o + 1] = x[b + j];
      out[o + 2] = x[c + j];
      out[o + 3] = x[e + j];
    }
  }
  for (; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j];
}

let registered = false;
/** Registers the kernels (host and WGSL twins, FlattenParams's too); idempotent. */
export function ensureMlpKernels(): void {
  ensure();
}
function ensure(): void {
  if (!registered) {
    registerOnce();
    registerMlpWebgpu(BLOCKS, ACTIVATION, FLATTEN_KERNEL);
  }
  registered = true;
}

/** The blocks (shaped [rows, cols]) followed by the transposed blocks ([cols, rows]). */
export function paramBlocks(flat: tf.Tensor1D, blocks: Block[], transposed: Block[]): tf.Tensor2D[] {
  if (fusedBackend()) {
    ensure();
    return runHostKernel(BLOCKS, { x: flat }, { blocks, transposed }) as tf.Tensor2D[];
  }
  return paramBlocksByOps(flat, blocks, transposed);
}

export function paramBlocksByOps(flat: tf.Tensor1D, blocks: Block[], transposed: Block[]): tf.Tensor2D[] {
  const cut = ([o, r, c]: Block) => tf.reshape(tf.slice(flat, [o], [r * c]), [r, c]) as tf.Tensor2D;
  return [...blocks.map(cut), ...transposed.map((b) => tf.transpose(cut(b)))];
}

export interface ActAttrs {
  act: 'silu' | 'relu';
  train: boolean;
}

export interface ActivationOut {
  /** act(z) with `ext`'s columns appended, [B, W + E]. */
  y: tf.Tensor2D;
  /** Training only: y transposed, [W + E, B]. */
  yT?: tf.Tensor2D;
  /** Training only: act'(z), [B, W]. */
  deriv?: tf.Tensor2D;
}

/** Whether `activation` needs s = sigmoid(z) for silu: the host kernels do, the WGSL twin computes it itself. */
export function activationNeedsSigmoid(): boolean {
  return !fusedBackend() || hostBackend();
}

/**
 * `s` = sigmoid(z) for silu (computed by the backend's own kernel: wasm's is far faster than a JS exp loop);
 * may be null for silu where activationNeedsSigmoid() is false.
 */
export function activation(z: tf.Tensor2D, s: tf.Tensor2D | null, ext: tf.Tensor2D | null, attrs: ActAttrs): ActivationOut {
  if (!fusedBackend()) return activationByOps(z, s, ext, attrs);
  ensure();
  const [y, yT, deriv] = runHostKernel(ACTIVATION, { z, s, ext }, attrs) as tf.Tensor2D[];
  return attrs.train ? { y, yT, deriv } : { y };
}

export function activationByOps(z: tf.Tensor2D, s: tf.Tensor2D | null, ext: tf.Tensor2D | null, attrs: ActAttrs): ActivationOut {
  const h = attrs.act === 'silu' ? tf.mul(z, s!) : tf.relu(z);
  const y = (ext ? tf.concat([h, ext], 1) : h) as tf.Tensor2D;
  if (!attrs.train) return { y };
  const deriv = attrs.act === 'silu' ? tf.add(s!, tf.mul(h, tf.sub(1, s!))) : tf.step(z);
  return { y, yT: tf.transpose(y), deriv: deriv as tf.Tensor2D };
}

