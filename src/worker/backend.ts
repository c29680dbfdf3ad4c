// Starting a backend inside the worker: the user's choice, falling back down the list with the reason
// for every fallback. `auto` starts on WASM at once (certain and quick); the measured choice comes later
// (autoBackend.ts), so nothing waits for a GPU adapter or shader compilation. tf.setBackend() returns false instead of throwing when a backend fails
// to initialise, so both its result and tf.getBackend() are checked (architecture.md section 6).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendChoice, BackendName } from './protocol';
import { describeWasmThreads, wasmThreadsWanted, withWasmThreads } from './wasmThreads';

export const BACKEND_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
const AUTO_START: BackendName[] = ['wasm', 'webgpu', 'webgl', 'cpu'];

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });

export interface BackendResult {
  backend: BackendName;
  adapter: string | null;
  fallbackReasons: string[];
}

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; device?: string };
}

export async function describeAdapter(): Promise<string | null> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return null;
  const a = await gpu.requestAdapter();
  const info = a?.info;
  if (!info) return null;
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s && s.length > 0);
  return parts.length ? parts.join(' / ') : 'unnamed adapter';
}

async function whyUnavailable(name: BackendName): Promise<string | null> {
  if (name === 'webgpu') {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return 'WebGPU: this browser exposes no navigator.gpu';
    try {
      if (!(await gpu.requestAdapter())) return 'WebGPU: no adapter available';
    } catch (e) {
      return `WebGPU: requestAdapter failed (${(e as Error).message})`;
    }
  }
  return null;
}

async function startBackend(name: BackendName): Promise<boolean> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  return ok;
}

/** wasm with every thread wanted; where the threaded build fails to start (a policy blocking its pthread
 * workers, say), the single-threaded build instead, with the reason kept. */
async function startWasm(threads: number, fallbackReasons: string[]): Promise<boolean> {
  if (threads > 1) {
    try {
      if (await withWasmThreads(threads, () => startBackend('wasm'))) return true;
      fallbackReasons.push(`wasm: the ${threads}-thread build failed to initialise; using one thread`);
    } catch (e) {
      fallbackReasons.push(`wasm: the ${threads}-thread build failed (${(e as Error).message}); using one thread`);
    }
  }
  return withWasmThreads(1, () => startBackend('wasm'));
}

/**
 * Tries `choice` (or the whole order for auto), falling back down the list. `wasmThreads`: at most that many
 * WASM threads (a compare run's share of the cores; the bench's one); it counts only where wasm starts here.
 */
export async function selectBackend(choice: BackendChoice, exclude: BackendName[] = [], wasmThreads = wasmThreadsWanted()): Promise<BackendResult> {
  const start = choice === 'auto' ? 0 : BACKEND_ORDER.indexOf(choice);
  const order = (choice === 'auto' ? AUTO_START : [...BACKEND_ORDER.slice(start), ...BACKEND_ORDER.slice(0, start)]).filter((b) => !exclude.includes(b));
  const fallbackReasons: string[] = [];
  for (const name of order) {
    const unavailable = await whyUnavailable(name);
    if (unavailable) {
      fallbackReasons.push(unavailable);
      continue;
    }
    let ok = false;
    try {
      ok = name === 'wasm' ? await startWasm(wasmThreads, fallbackReasons) : await startBackend(name);
    } catch (e) {
      fallbackReasons.push(`${name}: ${(e as Error).message}`);
      continue;
    }
    if (!ok || tf.getBackend() !== name) {
      fallbackReasons.push(`${name}: failed to initialise`);
      continue;
    }
    return { backend: name, adapter: name === 'webgpu' ? await describeAdapter() : name === 'wasm' ? describeWasmThreads(self.crossOriginIsolated === true) : null, fallbackReasons };
  }
  throw new Error(`no TensorFlow.js backend could be started: ${fallbackReasons.join('; ')}`);
}

/** Resolves when the WebGPU device is lost (never for other backends). */
export function deviceLost(): Promise<string> | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ message?: string; reason?: string }> } }).device;
  return device?.lost ? device.lost.then((info) => info?.message || info?.reason || 'device lost') : null;
}
