// Registers one kernel body, written as a JavaScript loop over plain Float32Arrays, for the two backends
// whose tensors live in CPU-visible memory (cpu, and wasm's heap). Used for fused elementwise chains that
// would otherwise be several launches each (see unflattenKernel.ts for why a host loop is cheap there).
// Other backends never see these kernel names: callers check hostBackend() and run plain tfjs ops instead.
import * as tf from '@tensorflow/tfjs';
import { shareIdentityOnWasm } from './wasmIdentity';

export interface TensorInfoLike {
  dataId: object;
  shape: number[];
  dtype: tf.DataType;
}

export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfoLike;
  typedArrayFromHeap(t: TensorInfoLike): Float32Array;
  /** The emscripten module; its memory is exported as asm.memory (wasmMemory in threaded builds). */
  wasm?: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
}

export interface CpuBackendLike {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): TensorInfoLike;
}

export interface HostKernel<A> {
  name: string;
  /** Names of the inputs, in the order `run` receives them (missing optional inputs arrive as null). */
  inputs: string[];
  /** Output shapes from the input shapes (same order as `inputs`, null for a missing one) and the attributes. */
  outputShapes(shapes: (number[] | null)[], attrs: A): number[][];
  /**
   * Fills `outs` (fresh, uninitialised unless zero-filled by the backend) from `ins`; must not keep them.
   * On wasm `memory` is the backend's heap, which the arrays view (byteOffset = address), for simdOps.ts.
   */
  run(ins: (Float32Array | null)[], outs: Float32Array[], attrs: A, shapes: (number[] | null)[], memory: WebAssembly.Memory | null): void;
}

/** The wasm backend's heap: exported as asm.memory, or wasmMemory in threaded builds. */
function heapOf(b: WasmBackendLike): WebAssembly.Memory | null {
  return b.wasm?.asm?.memory ?? b.wasm?.wasmMemory ?? null;
}

/** The running wasm backend's heap, or null on any other backend. */
export function wasmHeap(): WebAssembly.Memory | null {
  return tf.getBackend() === 'wasm' ? heapOf(tf.backend() as unknown as WasmBackendLike) : null;
}

/** The wasm backend's XNNPACK threads now, or null when wasm is not running. */
export function wasmThreadCount(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  const wasm = (tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?(): number } } }).wasm;
  return wasm?.tfjs?.getThreadsCount?.() ?? 1;
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown };

function infos<A>(k: HostKernel<A>, inputs: tf.NamedTensorInfoMap): (TensorInfoLike | null)[] {
  return k.inputs.map((n) => (inputs[n] as unknown as TensorInfoLike | undefined) ?? null);
}

function single(outs: TensorInfoLike[]): tf.TensorInfo | tf.TensorInfo[] {
  return (outs.length === 1 ? outs[0] : outs) as unknown as tf.TensorInfo | tf.TensorInfo[];
}

export function registerHostKernel<A>(k: HostKernel<A>): void {
  shareIdentityOnWasm(); // every fused path registers its kernels first
  if (tf.getKernel(k.name, 'cpu')) return;
  const wasm = ({ inputs, attrs, backend }: KernelArgs) => {
    const b = backend as WasmBackendLike;
    const ins = infos(k, inputs);
    const shapes = ins.map((t) => t?.shape ?? null);
    const outs = k.outputShapes(shapes, attrs as unknown as A).map((s) => b.makeOutput(s, 'float32'));
    // Views only after every allocation: growing the heap detaches earlier views.
    const memory = heapOf(b);
    k.run(ins.map((t) => (t ? b.typedArrayFromHeap(t) : null)), outs.map((o) => b.typedArrayFromHeap(o)), attrs as unknown as A, shapes, memory);
    return single(outs);
  };
  const cpu = ({ inputs, attrs, backend }: KernelArgs) => {
    const b = backend as CpuBackendLike;
    const ins = infos(k, inputs);
    const shapes = ins.map((t) => t?.shape ?? null);
    const outShapes = k.outputShapes(shapes, attrs as unknown as A);
    const outs = outShapes.map((s) => new Float32Array(s.reduce((x, y) => x * y, 1)));
    k.run(ins.map((t) => (t ? b.data.get(t.dataId).values : null)), outs, attrs as unknown as A, shapes, null);
    return single(outs.map((v, i) => b.makeTensorInfo(outShapes[i], 'float32', v)));
  };
  tf.registerKernel({ kernelName: k.name, backendName: 'wasm', kernelFunc: wasm as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: k.name, backendName: 'cpu', kernelFunc: cpu as unknown as tf.KernelFunc });
}

/** Runs a registered host kernel; inputs by name (null/undefined ones are left out). */
export function runHostKernel(name: string, inputs: Record<string, tf.Tensor | null | undefined>, attrs: object): tf.Tensor[] {
  const named: tf.NamedTensorMap = {};
  for (const [n, t] of Object.entries(inputs)) if (t) named[n] = t;
  const r = tf.engine().runKernel(name, named, attrs as unknown as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
  return Array.isArray(r) ? r : [r];
}

/** Backends whose tensors live in CPU-visible memory, where host kernels are registered. */
export function hostBackend(): boolean {
  const b = tf.getBackend();
  return b === 'cpu' || b === 'wasm';
}

let webgpuFused = true;

/**
 * Whether the webgpu backend runs the fused kernels' WGSL twins (webgpuKernel.ts) or the plain-op twins.
 * On by default; the parity tests and the bench switch it to compare both paths from the same state.
 */
export function setWebgpuFusedKernels(on: boolean): void {
  webgpuFused = on;
}

/** Backends where the fused kernels run: the host backends, and webgpu unless switched off. */
export function fusedBackend(): boolean {
  return hostBackend() || (webgpuFused && tf.getBackend() === 'webgpu');
}
