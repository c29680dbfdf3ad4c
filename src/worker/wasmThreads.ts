// Multi-threaded WASM: tfjs's threaded SIMD build runs XNNPACK's convolutions and matrix products on a
// pthread pool, but only in a cross-origin isolated page (SharedArrayBuffer; `npm start` and `npm run preview`
// send the COOP/COEP headers). tfjs sizes the pool as navigator.hardwareConcurrency / 2 (it assumes two
// hyper-threads per core), which is ONE thread on a 2-core machine; its setThreadsCount() is capped by that
// same number. The U-Net step there is ~1.7x faster with 2 threads (NOTES, "Multi-threaded WASM"), so the
// worker reports twice the cores while the backend initialises, then restores the real value.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/** XNNPACK's pool holds at most 8 pthread workers (tfjs builds it with 8). */
const MAX_THREADS = 8;

interface ThreadScope {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
}

/** How many XNNPACK threads this context can run: every logical core, 1 where it is not cross-origin isolated. */
export function wasmThreadsWanted(scope: ThreadScope = globalThis as ThreadScope): number {
  if (!scope.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') return 1;
  const cores = Math.floor(scope.navigator?.hardwareConcurrency ?? 1);
  return Math.max(1, Math.min(MAX_THREADS, cores));
}

/**
 * Runs `init` (which starts the wasm backend) with the threaded build enabled when more than one thread is
 * wanted. Must run before the wasm backend's first initialisation: tfjs picks its build once.
 */
export async function withWasmThreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  if (threads <= 1) return init();
  setThreadsCount(threads);
  const nav = (globalThis as { navigator?: object }).navigator;
  if (!nav) return init();
  // tfjs's module reads hardwareConcurrency while it instantiates and caps the pool at half of it.
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  try {
    return await init();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency; // the prototype's real getter again
  }
}

/** The wasm backend's XNNPACK thread count, or null when it is not initialised. */
export function wasmThreadCount(): number | null {
  try {
    return getThreadsCount();
  } catch {
    return null;
  }
}
