// Counts the compute dispatches of tfjs's webgpu backend: every program (tfjs's own kernels and the fused
// WGSL twins of webgpuKernel.ts) runs through the backend's runWebGPUProgram, so wrapping that one method
// of the live backend counts exactly what the GPU is asked to do (buffer copies and reads are not dispatches).
import * as tf from '@tensorflow/tfjs';

type Program = { constructor: { name: string }; shaderKey?: string };
type Counted = { runWebGPUProgram: (program: Program, ...rest: unknown[]) => unknown };
const wrapped = new WeakSet<object>();
let count = 0;
const byProgram = new Map<string, number>();

/** Dispatches so far on the active webgpu backend (counting starts at the first call); null on others. */
export function webgpuDispatches(): number | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const b = tf.backend() as unknown as Counted;
  if (!wrapped.has(b)) {
    const run = b.runWebGPUProgram.bind(b);
    b.runWebGPUProgram = (program: Program, ...rest: unknown[]) => {
      count++;
      // tfjs's programs are classes; the fused twins are plain objects named by their shader key.
      const name = program.constructor.name === 'Object' ? (program.shaderKey ?? '?').split('_')[0] : program.constructor.name;
      byProgram.set(name, (byProgram.get(name) ?? 0) + 1);
      return run(program, ...rest);
    };
    wrapped.add(b);
  }
  return count;
}

/** Dispatches so far per program name (a copy), for histograms: diff two of them around a step. */
export function webgpuDispatchesByProgram(): Map<string, number> {
  return new Map(byProgram);
}
