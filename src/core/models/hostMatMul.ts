// The 2D MLP's matrix products (fusedMlp.ts's training step, dense.ts's layers): on the wasm backend with a
// one-thread pool, a host kernel running simdGemm.ts's product on the heap (about twice XNNPACK's one-thread
// product at the MLP's shapes); elsewhere, and for shapes it does not cover (N not a multiple of 8: the output
// layer; K < 64), tf.matMul. With more threads XNNPACK's product runs on all of them and this one would not,
// so it stays with tfjs.
import * as tf from '@tensorflow/tfjs';
import { registerHostKernel, runHostKernel, wasmHeap, wasmThreadCount } from './hostKernel';
import { gemmFor, panelBytes } from './simdGemm';

const NAME = 'MlpGemm';

/** Below this inner size XNNPACK's packed product wins (512x35x256: 0.36 against 0.43 ms). */
const MIN_K = 64;

let enabled = true;

/** Switches the own product off (tf.matMul everywhere) or on; for A/B measurements and parity tests. */
export function setOwnGemm(on: boolean): void {
  enabled = on;
}

/** Whether [M, K] x [K, N] runs as the own product now. */
export function ownGemmApplies(K: number, N: number): boolean {
  return K >= MIN_K && enabled && (wasmThreadCount() ?? 1) <= 1 && gemmFor(wasmHeap(), K, N) !== null;
}

let registered = false;
function ensure(): void {
  if (registered) return;
  registered = true;
  registerHostKernel<Record<string, never>>({
    name: NAME,
    inputs: ['a', 'b'],
    // The second output is the product's scratch panel (16 bytes over, to align it), disposed by mlpMatMul.
    outputShapes: ([a, b]) => [[a![0], b![1]], [panelBytes(a![1]) / 4 + 4]],
    run([a, b], [c, panel], _attrs, shapes, memory) {
      const [M, K] = shapes[0]!;
      const N = shapes[1]![1];
      const gemm = gemmFor(memory, K, N);
      // mlpMatMul dispatches here only where the product exists (registerHostKernel also registers cpu).
      if (!gemm) throw new Error(`${NAME} runs on the wasm backend only (K ${K}, N ${N})`);
      gemm(a!.byteOffset, b!.byteOffset, c.byteOffset, M, (panel.byteOffset + 15) & ~15);
    },
  });
  // Differentiated where a tape records dense.ts's gradient (second-order gradients: JVPs by double VJP).
  tf.registerGradient({
    kernelName: NAME,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      // dy: one per output; the scratch panel's carries nothing.
      const d = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor2D;
      const [a, b] = [saved[0] as tf.Tensor2D, saved[1] as tf.Tensor2D];
      // Transposed copies and plain products: wasm's transposed BatchMatMul is far slower (dense.ts).
      return { a: () => mlpMatMul(d, tf.transpose(b)), b: () => mlpMatMul(tf.transpose(a), d) };
    },
  });
}

/** a [M, K] x b [K, N]. */
export function mlpMatMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!ownGemmApplies(a.shape[1], b.shape[1])) return tf.matMul(a, b);
  ensure();
  const [c, panel] = runHostKernel(NAME, { a, b }, {});
  panel.dispose();
  return c as tf.Tensor2D;
}
