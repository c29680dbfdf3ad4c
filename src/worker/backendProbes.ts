// The real probes behind the auto chooser: what each backend runs on here (adapter, software or not),
// and the time of a real training step of the current model on it, in a throwaway session.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../core/config';
import { TrainingSession } from '../core/run/session';
import { isSoftwareName, type BackendProbe, type ProbeInfo } from './backendChooser';
import type { BackendName } from './protocol';
import { loadSessionResources } from './resources';

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
}

async function inspectWebgpu(): Promise<ProbeInfo> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return { available: false, software: false, adapter: null, reason: 'no navigator.gpu' };
  const a = await gpu.requestAdapter();
  if (!a) return { available: false, software: false, adapter: null, reason: 'no adapter' };
  const i = a.info ?? {};
  const adapter = [i.vendor, i.architecture, i.device, i.description].filter((s) => s && s.length > 0).join(' / ') || 'unnamed adapter';
  const software = a.isFallbackAdapter === true || i.isFallbackAdapter === true || isSoftwareName(adapter);
  return { available: true, software, adapter };
}

/** tfjs's WebGL backend uses WebGL 2; the unmasked renderer names software rasterisers (SwiftShader, llvmpipe). */
function inspectWebgl(): ProbeInfo {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return { available: false, software: false, adapter: null, reason: 'no WebGL 2 context' };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, software: isSoftwareName(renderer), adapter: renderer };
  } catch (e) {
    return { available: false, software: false, adapter: null, reason: (e as Error).message };
  }
}

function inspect(name: BackendName): Promise<ProbeInfo> {
  if (name === 'webgpu') return inspectWebgpu();
  if (name === 'webgl') return Promise.resolve(inspectWebgl());
  if (name === 'wasm') return Promise.resolve(typeof WebAssembly === 'object' ? { available: true, software: false, adapter: null } : { available: false, software: false, adapter: null, reason: 'no WebAssembly' });
  return Promise.resolve({ available: true, software: false, adapter: null });
}

/** Activates `name` and times real training steps of `cfg` there: the first compiles (GPU), the best counts. */
async function timeStep(name: BackendName, cfg: Config, points: Float64Array | undefined): Promise<number> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error('did not start');
  const s = new TrainingSession(cfg, await loadSessionResources(cfg, points), 16);
  try {
    let best = Infinity;
    for (let i = 0; i < 2; i++) {
      // A step that lost the race must not go on under the next backend's name.
      if (tf.getBackend() !== name) throw new Error('superseded');
      const t0 = performance.now();
      const r = await s.trainStep();
      await r.loss.data();
      r.loss.dispose();
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  } finally {
    s.dispose();
  }
}

/** Probes in measuring order. A WASM step blocks the worker until it ends, so it goes first only for the MLP
 * (tens of ms); a U-Net step there takes seconds and would spend the budget before a GPU is tried. */
export function realProbes(cfg: Config, points: Float64Array | undefined): BackendProbe[] {
  const order: BackendName[] = cfg.model === 'mlp' ? ['wasm', 'webgpu', 'webgl', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
  return order.map((name) => {
    let info: Promise<ProbeInfo> | null = null;
    return { name, inspect: () => (info ??= inspect(name)), timeStep: () => timeStep(name, cfg, points) };
  });
}

/** This browser's adapters, as a key for remembering a choice (a new GPU or driver measures again). */
export async function adapterKey(probes: BackendProbe[]): Promise<string> {
  const parts = await Promise.all(probes.filter((p) => p.name === 'webgpu' || p.name === 'webgl').map(async (p) => {
    const i = await p.inspect().catch(() => null);
    return `${p.name}=${i?.adapter ?? 'none'}`;
  }));
  return parts.join('|');
}
