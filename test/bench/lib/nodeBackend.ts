// Switches the tfjs backend in Node and says whether it really switched: tf.setBackend() returns false
// instead of throwing when a backend fails (architecture.md section 6).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export type NodeBackend = 'cpu' | 'wasm';
export const NODE_BACKENDS: NodeBackend[] = ['wasm', 'cpu'];

export async function useBackend(name: NodeBackend): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`tfjs backend "${name}" failed to initialise in Node`);
}

/** Awaits a step's loss (forcing the work to finish) and disposes it. */
export async function settle(loss: tf.Tensor): Promise<number> {
  const v = (await loss.data())[0];
  loss.dispose();
  return v;
}
