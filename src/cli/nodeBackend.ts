// Picks a tfjs backend in Node: WASM (fastest here, for the MLP and, through the hand-written convolution
// gradient of src/core/models/conv.ts, for the U-Net too) unless asked otherwise.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export async function initNodeBackend(choice: string): Promise<{ backend: string; note: string | null }> {
  let want = choice === 'auto' ? 'wasm' : choice;
  let note: string | null = null;
  if (want === 'webgpu' || want === 'webgl') {
    note = `backend "${want}" is browser-only; using wasm in Node`;
    want = 'wasm';
  }
  const ok = await tf.setBackend(want); // returns false instead of throwing (architecture.md section 6)
  await tf.ready();
  if (!ok || tf.getBackend() !== want) {
    note = `backend "${want}" failed to initialise; using cpu`;
    await tf.setBackend('cpu');
    await tf.ready();
  }
  return { backend: tf.getBackend(), note };
}
