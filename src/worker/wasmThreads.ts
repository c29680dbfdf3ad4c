// Multi-threaded WASM: tfjs's threaded SIMD build runs XNNPACK's convolutions and matrix products on a
// pthread pool, but only in a cross-origin isolated page (SharedArrayBuffer; `npm start` and `npm run preview`
// send the COOP/COEP headers). tfjs caps the pool at navigator.hardwareConcurrency / 2 (it assumes two
// hyper-threads per core), ONE thread on a 2-core machine, so the worker reports twice the cores while the
// backend starts. How many threads pay depends on the work (NOTES, "Multi-threaded WASM"): the U-Net's big
// convolutions gain on every core (1.63 -> 1.00 s per step on 2 cores), but the 2D page draws its views at
// 60 fps on the main thread, and a parallel operation waits for its slowest thread: with every core in the
// pool the 2D page trained 25-45% slower on 2 cores. So 2D runs leave one core to the page.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/** XNNPACK's pool can use at most 8 threads: tfjs's build starts 8 pthread workers. */
const MAX_THREADS = 8;

interface ThreadScope {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
}

/** How many threads this context can run: every logical core (at most 8), 1 where it is not cross-origin isolated. */
export function wasmThreadsWanted(scope: ThreadScope = globalThis as ThreadScope): number {
  if (!scope.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') return 1;
  const cores = Math.floor(scope.navigator?.hardwareConcurrency ?? 1);
  return Math.max(1, Math.min(MAX_THREADS, cores));
}

/** What the worker trains: 2D points (small matrix products, the page drawing at 60 fps) or images (U-Net). */
export type WorkKind = 'points' | 'images';

/** Threads for `kind` when at most `cap` may run: images take them all, points leave one core to the page. */
export function threadsFor(kind: WorkKind, cap: number): number {
  return kind === 'images' ? cap : Math.max(1, cap - 1);
}

export interface WasmModuleLike {
  tfjs: { initWithThreadsCount(n: number): void; getThreadsCount(): number };
}

/** A threaded worker's pool: at most `cap` threads; every pool tfjs creates keeps its pthreads (there is no destroy). */
export interface PoolState {
  cap: number;
  pthreadsLeft: number;
}

let pool: PoolState | null = null;

/**
 * Runs `init` (which starts the wasm backend) with the threaded build where `cap` > 1, its pool sized for 2D
 * points first. Must run before the wasm backend's first initialisation: tfjs picks its build once.
 */
export async function withWasmThreads<T>(cap: number, init: () => Promise<T>): Promise<T> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', cap > 1);
  pool = null;
  const nav = (globalThis as { navigator?: object }).navigator;
  if (cap <= 1 || !nav) return init();
  const first = threadsFor('points', cap);
  setThreadsCount(first);
  // tfjs's module reads hardwareConcurrency while it instantiates and caps every pool at half of it.
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * cap, configurable: true });
  try {
    const result = await init();
    pool = { cap, pthreadsLeft: MAX_THREADS - (first - 1) };
    return result;
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency; // the prototype's real getter again
  }
}

function wasmModule(): WasmModuleLike | null {
  if (tf.getBackend() !== 'wasm') return null;
  return (tf.backend() as unknown as { wasm?: WasmModuleLike }).wasm ?? null;
}

/**
 * Sizes the pool for `kind` (called when a run is built). tfjs's init_with_threads_count makes a new pool
 * and leaves the old one's pthreads waiting, so a switch happens only while pthread workers are left (tfjs
 * starts 8); after that the pool stays as it is: slower, never wrong.
 */
export function useWasmThreadsFor(kind: WorkKind): void {
  const wasm = wasmModule();
  if (pool && wasm) resizePool(wasm, pool, kind);
}

/** The switch itself, apart from tfjs: true where a new pool was made. */
export function resizePool(wasm: WasmModuleLike, state: PoolState, kind: WorkKind): boolean {
  const want = threadsFor(kind, state.cap);
  if (want === wasm.tfjs.getThreadsCount() || want - 1 > state.pthreadsLeft) return false;
  wasm.tfjs.initWithThreadsCount(want);
  state.pthreadsLeft -= want - 1;
  return true;
}

/**
 * The wasm "adapter" text: threads per kind of work where they differ ("1 thread for 2D, 2 for digits"), and
 * why there is one thread where threads are off; null when wasm is not running.
 */
export function describeWasmThreads(crossOriginIsolated: boolean): string | null {
  if (!wasmModule()) return null;
  if (!pool) return crossOriginIsolated ? '1 thread' : '1 thread (threads need a cross-origin isolated page)';
  const [points, images] = [threadsFor('points', pool.cap), threadsFor('images', pool.cap)];
  const n = (k: number) => `${k} thread${k === 1 ? '' : 's'}`;
  return points === images ? n(points) : `${n(points)} for 2D, ${images} for digits`;
}
