// Starting a backend, and falling back when the WebGPU device is lost (restoring the last checkpoint).
import * as tf from '@tensorflow/tfjs';
import { deviceLost, selectBackend } from './backend';
import { wasmThreadsWanted } from './wasmThreads';
import { post, status, w } from './context';
import type { BackendChoice, BackendName } from './protocol';
import { rebuild } from './runBuild';
import { startLoop } from './trainLoop';

/** Starts `choice` (falling back down the list); `asChoice` is what the user chose (auto moves keep 'auto'). */
export async function initBackend(choice: BackendChoice, exclude: string[] = [], asChoice: BackendChoice = choice): Promise<void> {
  const t0 = performance.now();
  status('loading', `starting the ${choice} backend`);
  w.backend = await selectBackend(choice, exclude as BackendName[], Math.min(wasmThreadsWanted(), w.wasmThreadLimit ?? Infinity));
  w.backendChoice = asChoice;
  w.warmedSession = null;
  post({ type: 'ready', backend: w.backend.backend, adapter: w.backend.adapter, fallbackReasons: w.backend.fallbackReasons, warmupMs: performance.now() - t0 });
  watchDevice();
}

/** The backend instance already watched: re-initialising the same backend must not add a second watcher
 * (two would both fall back at once and race each other's rebuild). */
let watching: tf.KernelBackend | null = null;

function watchDevice(): void {
  const lost = deviceLost();
  if (!lost || tf.backend() === watching) return;
  const watched = (watching = tf.backend());
  void lost.then(async (why) => {
    if (tf.backend() !== watched) return; // a later backend switch already replaced it
    const wasRunning = w.running;
    w.running = false;
    post({ type: 'error', code: 'device-lost', recoverable: true, message: `The WebGPU device was lost (${why}). Falling back to another backend and restoring the last checkpoint.` });
    try {
      await initBackend('auto', ['webgpu']);
      if (w.config) await rebuild(w.config, w.points, w.lastCheckpointBytes);
      if (wasRunning) void startLoop();
    } catch (e) {
      post({ type: 'error', code: 'backend-failed', recoverable: false, message: (e as Error).message });
    }
  });
}
