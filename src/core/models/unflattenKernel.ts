// "UnflattenParams": one kernel that cuts a flat parameter buffer into its parameters (shaped), and
// "FlattenParams", its inverse for gradients (one kernel instead of a reshape per parameter and a concat),
// for the backends that keep data in CPU-visible memory. tfjs-backend-wasm 4.22's Slice copies the WHOLE input out
// of the heap for every piece (readSync), so tf.split of a 200k buffer into 10 parameters costs ~4.6 ms;
// here each piece is one memcpy of its own size. Other backends use split + reshape (flatLayout.ts).
import * as tf from '@tensorflow/tfjs';
import type { CpuBackendLike, TensorInfoLike, WasmBackendLike } from './hostKernel';

export const UNFLATTEN_KERNEL = 'UnflattenParams';
export const FLATTEN_KERNEL = 'FlattenParams';

interface Attrs {
  shapes: number[][];
  offsets: number[];
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function wasmUnflatten({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) {
  const { shapes, offsets } = attrs as unknown as Attrs;
  const b = backend as WasmBackendLike;
  const outs = shapes.map((s) => b.makeOutput(s, 'float32'));
  // Views are taken after every allocation: growing the heap detaches earlier views.
  const src = b.typedArrayFromHeap(inputs.x as unknown as TensorInfoLike);
  outs.forEach((o, i) => b.typedArrayFromHeap(o).set(src.subarray(offsets[i], offsets[i] + size(shapes[i]))));
  return outs as unknown as tf.TensorInfo[];
}

function cpuUnflatten({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) {
  const { shapes, offsets } = attrs as unknown as Attrs;
  const b = backend as CpuBackendLike;
  const src = b.data.get((inputs.x as unknown as TensorInfoLike).dataId).values;
  return shapes.map((s, i) => b.makeTensorInfo(s, 'float32', src.slice(offsets[i], offsets[i] + size(s)))) as unknown as tf.TensorInfo[];
}

/** Inputs are named p0, p1, ... in layout order. */
function wasmFlatten({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) {
  const { offsets, total } = attrs as unknown as { offsets: number[]; total: number };
  const b = backend as WasmBackendLike;
  const out = b.makeOutput([total], 'float32');
  const dst = b.typedArrayFromHeap(out);
  offsets.forEach((o, i) => dst.set(b.typedArrayFromHeap(inputs[`p${i}`] as unknown as TensorInfoLike), o));
  return out as unknown as tf.TensorInfo;
}

function cpuFlatten({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) {
  const { offsets, total } = attrs as unknown as { offsets: number[]; total: number };
  const b = backend as CpuBackendLike;
  const dst = new Float32Array(total);
  offsets.forEach((o, i) => dst.set(b.data.get((inputs[`p${i}`] as unknown as TensorInfoLike).dataId).values, o));
  return b.makeTensorInfo([total], 'float32', dst) as unknown as tf.TensorInfo;
}

let registered = false;

/** Registers both kernels for wasm and cpu (idempotent); the backends need not be loaded yet. */
export function registerUnflattenKernel(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({ kernelName: UNFLATTEN_KERNEL, backendName: 'wasm', kernelFunc: wasmUnflatten as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: UNFLATTEN_KERNEL, backendName: 'cpu', kernelFunc: cpuUnflatten as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: FLATTEN_KERNEL, backendName: 'wasm', kernelFunc: wasmFlatten as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: FLATTEN_KERNEL, backendName: 'cpu', kernelFunc: cpuFlatten as unknown as tf.KernelFunc });
}
