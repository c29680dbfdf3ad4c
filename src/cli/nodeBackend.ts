// Picks a tfjs backend in Node: wasm (fastest here for small models) unless asked otherwise. The WASM
// backend cannot train convolutions (no Conv2DBackpropFilter), so image models fall back to cpu.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export async function initNodeBackend(choice: string, needsConvGradients: boolean): Promise<{ backend: string; note: string | null }> {
  let want = choice === 'auto' ? (needsConvGradients ? 'cpu' : 'wasm') : choice;
  let note: string | null = null;
  if (want === 'webgpu' || want === 'webgl') {
    note = `backend "${want}" is browser-only; using ${needsConvGradients ? 'cpu' : 'wasm'} in Node`;
    want = needsConvGradients ? 'cpu' : 'wasm';
  }
  if (want === 'wasm' && needsConvGradients) {
    note = 'the WASM backend cannot train convolutions (no Conv2DBackpropFilter); using cpu';
    want = 'cpu';
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
