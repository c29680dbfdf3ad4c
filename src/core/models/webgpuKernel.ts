// WGSL twins of the fused host kernels (hostKernel.ts), registered by the same kernel names for tfjs's
// 'webgpu' backend through the public kernel registry. Each kernel body runs one or more programs through
// the backend's own runWebGPUProgram (so pipelines, uniforms and command batching stay tfjs's), without
// importing the webgpu package: the program objects carry the fields tfjs-backend-webgpu 4.22 reads.
// tfjs's program model has exactly one output binding, so a kernel with k outputs is k dispatches.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfoLike } from './hostKernel';

export interface UniformValue {
  type: 'float32' | 'int32';
  data: number[];
}

/** What tfjs-backend-webgpu 4.22's makeShader / runWebGPUProgram read from a program. */
export interface WebgpuProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  size: boolean;
  uniforms?: string;
  getUserCode(): string;
}

export interface WebgpuBackendLike {
  runWebGPUProgram(p: WebgpuProgram, inputs: TensorInfoLike[], dtype: tf.DataType, uniforms?: UniformValue[]): TensorInfoLike;
  disposeData(dataId: object): void;
}

const WORKGROUP = 64;
export const sizeOf = (s: number[]) => s.reduce((a, b) => a * b, 1);

/**
 * One thread per output element: `body` sees `index` (flat output index) and the inputs as arrays by
 * their names, and writes `result[index]`. Every input and `uniforms` must be read somewhere (the
 * pipeline layout is derived from the shader, and tfjs binds them all).
 */
export function elementwise(key: string, names: string[], outputShape: number[], body: string, uniforms?: string): WebgpuProgram {
  const shape = outputShape.length === 0 ? [1] : outputShape;
  return {
    variableNames: names,
    outputShape: shape,
    shaderKey: key,
    dispatchLayout: { x: shape.map((_, i) => i) },
    dispatch: [Math.ceil(sizeOf(shape) / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    uniforms,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
}

/**
 * One thread per sample (the output's first axis, `rows` of them): `body` sees `index` (the sample) and writes
 * that sample's outputs itself; `helpers` are WGSL declarations before main. `uniforms` must start with
 * `b : i32,` (the sample count the caller passes first, the bound checked here).
 */
export function perSample(key: string, names: string[], outputShape: number[], uniforms: string, body: string, helpers = ''): WebgpuProgram {
  return {
    variableNames: names,
    outputShape,
    shaderKey: key,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(outputShape[0] / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    size: false,
    uniforms,
    getUserCode: () => `${helpers}
      fn main(index : i32) {
        if (index < uniforms.b) {
          ${body}
        }
      }`,
  };
}

/**
 * A sum in one workgroup: `accumulate` adds this thread's share (threads lid, lid + REDUCE_THREADS, ...) to
 * `acc`; the shares are then summed in a tree into result[0].
 */
export function singleWorkgroupSum(key: string, names: string[], accumulate: string, uniforms: string): WebgpuProgram {
  return {
    variableNames: names,
    outputShape: [1],
    shaderKey: key,
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    size: false,
    uniforms,
    getUserCode: () => `
      var<workgroup> partial : array<f32, ${WORKGROUP}>;
      fn main(index : i32) {
        let lid = i32(localIndex);
        var acc = 0.0;
        ${accumulate}
        partial[lid] = acc;
        workgroupBarrier();
        for (var s = ${WORKGROUP / 2}; s > 0; s = s / 2) {
          if (lid < s) { partial[lid] = partial[lid] + partial[lid + s]; }
          workgroupBarrier();
        }
        if (lid == 0) { result[0] = partial[0]; }
      }`,
  };
}
export const REDUCE_THREADS = WORKGROUP;

export interface GpuRunner {
  run(p: WebgpuProgram, inputs: (TensorInfoLike | null)[], uniforms?: UniformValue[]): TensorInfoLike;
  /** Frees an intermediate result of `run` that the kernel does not return. */
  dispose(t: TensorInfoLike): void;
}

export interface WebgpuKernel<A> {
  name: string;
  /** Input names in the order `run` receives them (missing optional ones arrive as null). */
  inputs: string[];
  run(ins: (TensorInfoLike | null)[], attrs: A, gpu: GpuRunner): TensorInfoLike[];
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown };

export function registerWebgpuKernel<A>(k: WebgpuKernel<A>): void {
  if (tf.getKernel(k.name, 'webgpu')) return;
  const kernelFunc = ({ inputs, attrs, backend }: KernelArgs) => {
    const b = backend as WebgpuBackendLike;
    const gpu: GpuRunner = {
      run: (p, ins, uniforms) => b.runWebGPUProgram(p, ins.filter((t): t is TensorInfoLike => !!t), 'float32', uniforms),
      dispose: (t) => b.disposeData(t.dataId),
    };
    const ins = k.inputs.map((n) => (inputs[n] as unknown as TensorInfoLike | undefined) ?? null);
    const outs = k.run(ins, attrs as unknown as A, gpu);
    return (outs.length === 1 ? outs[0] : outs) as unknown as tf.TensorInfo | tf.TensorInfo[];
  };
  tf.registerKernel({ kernelName: k.name, backendName: 'webgpu', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

/** f32 uniforms in declaration order. */
export const f32 = (...xs: number[]): UniformValue[] => xs.map((x) => ({ type: 'float32', data: [x] }));
export const i32 = (...xs: number[]): UniformValue[] => xs.map((x) => ({ type: 'int32', data: [x] }));
