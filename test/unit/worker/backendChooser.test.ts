// The auto-backend chooser with fake adapters: software, none, failing, slow, remembered.
import { describe, expect, it } from 'vitest';
import { chooseBackend, formatStepTime, isSoftwareName, type BackendProbe, type ProbeInfo } from '../../../src/worker/backendChooser';
import type { BackendName } from '../../../src/worker/protocol';

const hw = (adapter: string | null = null): ProbeInfo => ({ available: true, software: false, adapter });
const sw = (adapter: string): ProbeInfo => ({ available: true, software: true, adapter });
const none = (reason: string): ProbeInfo => ({ available: false, software: false, adapter: null, reason });

function probe(name: BackendName, info: ProbeInfo | (() => Promise<ProbeInfo>), ms: number | (() => Promise<number>)) {
  const calls = { timed: 0 };
  const p: BackendProbe = {
    name,
    inspect: typeof info === 'function' ? info : async () => info,
    timeStep: async () => {
      calls.timed++;
      return typeof ms === 'function' ? ms() : ms;
    },
  };
  return Object.assign(p, { calls });
}
const never = () => new Promise<number>(() => undefined);

describe('chooseBackend', () => {
  it('never picks a software WebGPU adapter while WASM is available, and does not time it', async () => {
    const gpu = probe('webgpu', sw('google / swiftshader'), 1);
    const wasm = probe('wasm', hw(), 68);
    const d = await chooseBackend({ probes: [wasm, gpu, probe('cpu', hw(), 500)], budgetMs: 2000 });
    expect(d.backend).toBe('wasm');
    expect(gpu.calls.timed).toBe(0);
    expect(d.summary).toBe('WASM (the only candidate); WebGPU (software adapter) skipped');
    expect(d.measured).toBe(false);
  });

  it('treats a software WebGL renderer like a software WebGPU adapter', async () => {
    const d = await chooseBackend({ probes: [probe('wasm', hw(), 68), probe('webgl', sw('ANGLE (SwiftShader Device)'), 1)], budgetMs: 2000 });
    expect(d.backend).toBe('wasm');
    expect(d.summary).toContain('WebGL (software adapter) skipped');
  });

  it('times real adapters against WASM and keeps the fastest, naming both times', async () => {
    const d = await chooseBackend({ probes: [probe('wasm', hw(), 68), probe('webgpu', hw('nvidia / ampere'), 3)], budgetMs: 2000 });
    expect(d.backend).toBe('webgpu');
    expect(d.adapter).toBe('nvidia / ampere');
    expect(d.summary).toBe('WebGPU 3.0 ms/step; WASM 68 ms/step');
    expect(d.measured).toBe(true);
  });

  it('a weak GPU loses to WASM on a tiny model', async () => {
    const d = await chooseBackend({ probes: [probe('wasm', hw(), 40), probe('webgpu', hw('intel / gen9'), 55)], budgetMs: 2000 });
    expect(d.backend).toBe('wasm');
    expect(d.summary).toBe('WASM 40 ms/step; WebGPU 55 ms/step');
  });

  it('no adapter: WebGPU is named as unavailable', async () => {
    const d = await chooseBackend({ probes: [probe('wasm', hw(), 68), probe('webgpu', none('no adapter'), 1)], budgetMs: 2000 });
    expect(d.backend).toBe('wasm');
    expect(d.summary).toBe('WASM (the only candidate); WebGPU (no adapter)');
  });

  it('requestAdapter throwing, or a backend that will not start, loses', async () => {
    const throwing = probe('webgpu', async () => {
      throw new Error('adapter request denied');
    }, 1);
    const d1 = await chooseBackend({ probes: [probe('wasm', hw(), 68), throwing], budgetMs: 2000 });
    expect(d1.backend).toBe('wasm');
    expect(d1.summary).toContain('WebGPU (failed: adapter request denied)');

    const refusing = probe('webgl', hw('real gpu'), () => Promise.reject(new Error('setBackend returned false')));
    const d2 = await chooseBackend({ probes: [probe('wasm', hw(), 68), refusing], budgetMs: 2000 });
    expect(d2.backend).toBe('wasm');
    expect(d2.summary).toBe('WASM 68 ms/step; WebGL (failed: setBackend returned false)');
  });

  it('a step that does not finish within the remaining budget loses', async () => {
    const slow = probe('webgpu', hw('slow gpu'), never);
    const d = await chooseBackend({ probes: [probe('wasm', hw(), 5), slow], budgetMs: 50 });
    expect(d.backend).toBe('wasm');
    expect(d.summary).toMatch(/^WASM 5\.0 ms\/step; WebGPU \(no step within \d+ ms\)$/);
  });

  it('a reported step time above the budget loses too', async () => {
    const d = await chooseBackend({ probes: [probe('wasm', hw(), 68), probe('webgpu', hw('gpu'), 5000)], budgetMs: 2000 });
    expect(d.backend).toBe('wasm');
  });

  it('when the budget is spent, later candidates are not timed', async () => {
    let t = 0;
    const gpu = probe('webgpu', hw('gpu'), 1);
    const d = await chooseBackend({ probes: [probe('wasm', hw(), () => ((t += 3000), Promise.resolve(10))), gpu], budgetMs: 2000, now: () => t });
    expect(gpu.calls.timed).toBe(0);
    expect(d.backend).toBe('wasm');
    expect(d.summary).toContain('WebGPU (not measured: budget spent)');
  });

  it('nothing finishing keeps the first candidate', async () => {
    const d = await chooseBackend({ probes: [probe('wasm', hw(), never), probe('webgpu', hw('gpu'), never)], budgetMs: 20 });
    expect(d.backend).toBe('wasm');
  });

  it('a remembered choice is used without timing while it is still a candidate', async () => {
    const wasm = probe('wasm', hw(), 68);
    const gpu = probe('webgpu', hw('gpu'), 3);
    const d = await chooseBackend({ probes: [wasm, gpu], budgetMs: 2000, remembered: 'webgpu' });
    expect(d.backend).toBe('webgpu');
    expect(wasm.calls.timed + gpu.calls.timed).toBe(0);
    expect(d.summary).toContain('remembered');
    // A remembered software adapter is not a candidate: measured afresh.
    const again = await chooseBackend({ probes: [probe('wasm', hw(), 68), probe('webgpu', sw('swiftshader'), 3)], budgetMs: 2000, remembered: 'webgpu' });
    expect(again.backend).toBe('wasm');
  });

  it('software adapters are used only when nothing else runs; CPU last', async () => {
    const d = await chooseBackend({ probes: [probe('wasm', none('wasm failed'), 1), probe('webgpu', sw('swiftshader'), 9), probe('cpu', hw(), 5)], budgetMs: 2000 });
    expect(d.backend).toBe('webgpu');
    const c = await chooseBackend({ probes: [probe('wasm', none('wasm failed'), 1), probe('cpu', hw(), 5)], budgetMs: 2000 });
    expect(c.backend).toBe('cpu');
    await expect(chooseBackend({ probes: [probe('wasm', none('x'), 1)], budgetMs: 10 })).rejects.toThrow(/no backend/);
  });

  it('names software rasterisers and formats step times', () => {
    for (const n of ['google / swiftshader', 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'lavapipe']) expect(isSoftwareName(n)).toBe(true);
    expect(isSoftwareName('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060)')).toBe(false);
    expect(formatStepTime(68.2)).toBe('68 ms/step');
    expect(formatStepTime(2712)).toBe('2.7 s/step');
    expect(formatStepTime(3)).toBe('3.0 ms/step');
  });
});
