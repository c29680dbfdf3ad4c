// Counts the compute dispatches of tfjs's webgpu backend: every program (tfjs's own kernels and the fused
// WGSL twins of webgpuKernel.ts) runs through the backend's runWebGPUProgram, so wrapping that one method
// of the live backend counts exactly what the GPU is asked to do (buffer copies and reads are not dispatches).
import * as tf from '@tensorflow/tfjs';

type Counted = { runWebGPUProgram: (...args: unknown[]) => unknown };
const wrapped = new WeakSet<object>();
let count = 0;

/** Dispatches so far on the active webgpu backend (counting starts at the first call); null on others. */
export function webgpuDispatches(): number | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const b = tf.backend() as unknown as Counted;
  if (!wrapped.has(b)) {
    const run = b.runWebGPUProgram.bind(b);
    b.runWebGPUProgram = (...args: unknown[]) => {
      count++;
      return run(...args);
    };
    wrapped.add(b);
  }
  return count;
}
