// tfjs-backend-wasm's Identity copies its input; cpu, webgl and webgpu share the data instead (reference
// counted, as wasm's own Reshape does). The gradient tape clones every tensor it saves through Identity, so
// on wasm each taped op paid a full memcpy: 151 copies, ~25 ms of a U-Net CT step. No wasm kernel writes
// into its inputs, and neither do the host kernels (hostKernel.ts: outputs only), so sharing is safe.
import * as tf from '@tensorflow/tfjs';

interface RefCounting {
  incRef(dataId: object): void;
}

function shareIdentity({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const x = inputs.x as tf.TensorInfo;
  (backend as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Replaces wasm's copying Identity by a sharing one, once the wasm backend's kernels are registered. */
export function shareIdentityOnWasm(): void {
  const current = tf.getKernel('Identity', 'wasm');
  if (!current || current.kernelFunc === (shareIdentity as unknown as tf.KernelFunc)) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: shareIdentity as unknown as tf.KernelFunc });
}
