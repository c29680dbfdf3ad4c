// Per-channel sums of an NHWC tensor (a convolution's bias gradient) as one host kernel on cpu/wasm: wasm's
// Sum reduces innermost axes only, so tf.sum(dy, [0, 1, 2]) transposes the whole tensor first. Here each
// sample's rows are summed by the SIMD column-sum pass (JavaScript off wasm) and samples are added in float64.
import * as tf from '@tensorflow/tfjs';
import { hostBackend, registerHostKernel, runHostKernel } from './hostKernel';
import { gnPasses } from './groupNormLoops';

const NAME = 'ChannelSums';

let registered = false;
function ensure(): void {
  if (registered) return;
  registered = true;
  registerHostKernel<Record<string, never>>({
    name: NAME,
    inputs: ['x'],
    // The second output is scratch (one sample's sums on the heap); the caller disposes it.
    outputShapes: ([x]) => [[x![3]], [x![3]]],
    run([x], [out, acc], _a, shapes, memory) {
      const [B, H, W, C] = shapes[0]!;
      const ps = gnPasses(memory, C);
      const total = new Float64Array(C);
      for (let b = 0; b < B; b++) {
        ps.colSums(x!, b * H * W * C, H * W, acc);
        for (let c = 0; c < C; c++) total[c] += acc[c];
      }
      out.set(total);
    },
  });
}

/** sum over batch and space: [B, H, W, C] -> [C]. */
export function channelSums(x: tf.Tensor4D): tf.Tensor1D {
  if (!hostBackend()) return tf.sum(x, [0, 1, 2]);
  ensure();
  const [out, scratch] = runHostKernel(NAME, { x }, {});
  scratch.dispose();
  return out as tf.Tensor1D;
}
