// Gives Node a WebGPU: loads Dawn's Node addon (dawn.node, from the `webgpu` npm package) and installs
// navigator.gpu and the GPU* globals (GPUBufferUsage, GPUMapMode, ...) as a browser has them. Must run BEFORE
// @tensorflow/tfjs-backend-webgpu is imported: that package registers its backend at import time, and only
// when navigator.gpu exists.
import { createRequire } from 'node:module';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Dawn's own flag for CPU implementations (SwiftShader): their times say nothing about a GPU. */
  isFallbackAdapter: boolean;
  features: string[];
  limits: Record<string, number>;
}

// The few WebGPU shapes used here (the DOM lib has no WebGPU types).
interface GpuAdapterLike {
  info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  features: Iterable<unknown>;
  limits: Record<string, unknown>;
}
interface GpuLike {
  requestAdapter(o: { powerPreference: string }): Promise<GpuAdapterLike | null>;
}
interface DawnModule {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}

const LIMITS = ['maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxBufferSize'];

/** Loads dawn.node from `path`, installs navigator.gpu, and describes the adapter tfjs will be given. */
export async function installDawn(path: string, options: string[]): Promise<AdapterSummary> {
  const dawn = createRequire(import.meta.url)(path) as DawnModule;
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create(options);
  const g = globalThis as unknown as { navigator?: object };
  // Node 21+ has a navigator of its own (without gpu); Node 20 has none.
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  // The same request tfjs-backend-webgpu makes, so this describes the adapter it will get.
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new Error('Dawn found no WebGPU adapter (no Vulkan driver for this GPU? the Vulkan loader warnings are in the log; VK_ICD_FILENAMES names a driver)');
  }
  const info = adapter.info;
  const limits: Record<string, number> = {};
  for (const k of LIMITS) limits[k] = Number(adapter.limits[k]);
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: info.isFallbackAdapter === true,
    features: [...adapter.features].map(String).sort(),
    limits,
  };
}
