// The U-Net's pure data movement on cpu/wasm as row copies: the channel concatenation of the skip
// connection and its gradient (a channel split), and 2x nearest upsampling (also the average pool's
// gradient). On wasm tfjs's SplitV copies the whole input out of the heap once per piece and AvgPoolGrad is a
// scalar loop: measured at [64, 28, 28, 96] / [64, 14, 14, 32], SplitV ~26 ms and AvgPoolGrad ~13 ms per step.
// Here every row is one bulk `memory.copy` of a small WebAssembly module on the backend's heap
// (TypedArray.set elsewhere). Values are only moved, so results equal the plain ops exactly.
import * as tf from '@tensorflow/tfjs';
import { hostBackend, registerHostKernel, runHostKernel } from './hostKernel';
import { add, heapModule, get, geU, i32c, I32, set, type Fn } from './wasmAssembler';

interface RowCopier {
  /** `rows` copies of `bytes` bytes: row r from src + r srcStride to dst + r dstStride (byte offsets). */
  copyRows(src: number, dst: number, rows: number, bytes: number, srcStride: number, dstStride: number): void;
}

function copyRowsFn(): Fn {
  const [src, dst, rows, bytes, srcStride, dstStride, r] = [0, 1, 2, 3, 4, 5, 6];
  return {
    name: 'copyRows', params: Array(6).fill(I32), locals: [I32],
    body: [
      ...i32c(0), ...set(r), 0x02, 0x40, 0x03, 0x40, ...get(r), ...get(rows), ...geU, 0x0d, 1,
      ...get(dst), ...get(src), ...get(bytes), 0xfc, 0x0a, 0x00, 0x00, // memory.copy(dst, src, bytes)
      ...get(src), ...get(srcStride), ...add, ...set(src), ...get(dst), ...get(dstStride), ...add, ...set(dst),
      ...get(r), ...i32c(1), ...add, ...set(r), 0x0c, 0, 0x0b, 0x0b,
    ],
  };
}

/** The heap module bound to `memory` (exported for tests), or null where it cannot be built. */
export const wasmCopier = heapModule<RowCopier>(() => [copyRowsFn()]);

/** Row copies between two float arrays, in floats: through the heap module on wasm, TypedArray.set elsewhere. */
type Copy = (src: Float32Array, srcAt: number, dst: Float32Array, dstAt: number, rows: number, len: number, srcStride: number, dstStride: number) => void;
function copier(memory: WebAssembly.Memory | null): Copy {
  const ops = wasmCopier(memory);
  if (ops) {
    return (src, srcAt, dst, dstAt, rows, len, srcStride, dstStride) => ops.copyRows(
      src.byteOffset + 4 * srcAt, dst.byteOffset + 4 * dstAt, rows, 4 * len, 4 * srcStride, 4 * dstStride);
  }
  return (src, srcAt, dst, dstAt, rows, len, srcStride, dstStride) => {
    for (let r = 0, s = srcAt, d = dstAt; r < rows; r++, s += srcStride, d += dstStride) dst.set(src.subarray(s, s + len), d);
  };
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

let registered = false;
function ensure(): void {
  if (registered) return;
  registered = true;
  registerHostKernel<Record<string, never>>({
    name: 'ChannelConcat',
    inputs: ['a', 'b'],
    outputShapes: ([a, b]) => [[...a!.slice(0, 3), a![3] + b![3]]],
    run([a, b], [out], _attrs, shapes, memory) {
      const [ca, cb] = [shapes[0]![3], shapes[1]![3]];
      const rows = size(shapes[0]!) / ca;
      const copy = copier(memory);
      copy(a!, 0, out, 0, rows, ca, ca, ca + cb);
      copy(b!, 0, out, ca, rows, cb, cb, ca + cb);
    },
  });
  registerHostKernel<{ first: number }>({
    name: 'ChannelSplit',
    inputs: ['x'],
    outputShapes: ([x], { first }) => [[...x!.slice(0, 3), first], [...x!.slice(0, 3), x![3] - first]],
    run([x], [a, b], { first }, shapes, memory) {
      const c = shapes[0]![3];
      const rows = size(shapes[0]!) / c;
      const copy = copier(memory);
      copy(x!, 0, a, 0, rows, first, c, first);
      copy(x!, first, b, 0, rows, c - first, c, c - first);
    },
  });
  registerHostKernel<Record<string, never>>({
    name: 'Upsample2',
    inputs: ['x'],
    outputShapes: ([x]) => [[x![0], 2 * x![1], 2 * x![2], x![3]]],
    run([x], [out], _attrs, shapes, memory) {
      const [B, H, W, C] = shapes[0]!;
      const copy = copier(memory);
      const outRow = 2 * W * C;
      for (let r = 0; r < B * H; r++) {
        const o = 2 * r * outRow; // output row 2r holds input row r twice per pixel; row 2r + 1 repeats it
        copy(x!, r * W * C, out, o, W, C, C, 2 * C);
        copy(x!, r * W * C, out, o + C, W, C, C, 2 * C);
        copy(out, o, out, o + outRow, 1, outRow, 0, 0);
      }
    },
  });
}

/** [B, H, W, Ca] ++ [B, H, W, Cb] along channels, as tf.concat(…, 3); its gradient splits with one copy. */
const concatHost = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b] = args as tf.Tensor4D[];
  const first = a.shape[3];
  return {
    value: runHostKernel('ChannelConcat', { a, b }, {})[0],
    gradFunc: (dy: tf.Tensor) => runHostKernel('ChannelSplit', { x: dy }, { first }),
  };
}) as unknown as (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D;

export function concatChannels(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D {
  if (!hostBackend()) return tf.concat([a, b], 3);
  ensure();
  return concatHost(a, b);
}

/** Nearest-neighbour 2x upsampling as one host kernel; callers check hostBackend(). */
export function upsample2Host(x: tf.Tensor4D): tf.Tensor4D {
  ensure();
  return runHostKernel('Upsample2', { x }, {})[0] as tf.Tensor4D;
}

// The 2x2 average pool's gradient spreads dy / 4 over each block: an upsampling of dy / 4.
const avgPool2Host = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.avgPool(args[0] as tf.Tensor4D, 2, 2, 'valid'),
  gradFunc: (dy: tf.Tensor) => upsample2Host(tf.mul(dy, 0.25) as tf.Tensor4D),
})) as unknown as (x: tf.Tensor4D) => tf.Tensor4D;

/** tf.avgPool(x, 2, 2, 'valid'), with its gradient as an upsampling on cpu/wasm. */
export function avgPool2(x: tf.Tensor4D): tf.Tensor4D {
  const even = x.shape[1] % 2 === 0 && x.shape[2] % 2 === 0; // an odd edge row is dropped, not spread
  return hostBackend() && even ? avgPool2Host(x) : tf.avgPool(x, 2, 2, 'valid');
}
