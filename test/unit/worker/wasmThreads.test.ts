// How many WASM threads the worker asks for: every logical core (at most tfjs's pool of 8), and one where
// the context is not cross-origin isolated (no SharedArrayBuffer for the threaded build).
import { describe, expect, it } from 'vitest';
import { wasmThreadsWanted } from '../../../src/worker/wasmThreads';

describe('wasmThreadsWanted', () => {
  it('one thread without cross-origin isolation, whatever the cores', () => {
    expect(wasmThreadsWanted({ crossOriginIsolated: false, navigator: { hardwareConcurrency: 16 } })).toBe(1);
    expect(wasmThreadsWanted({ navigator: { hardwareConcurrency: 16 } })).toBe(1);
  });

  it('every logical core when isolated, capped at the pool of 8', () => {
    expect(wasmThreadsWanted({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 2 } })).toBe(2);
    expect(wasmThreadsWanted({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 6 } })).toBe(6);
    expect(wasmThreadsWanted({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 32 } })).toBe(8);
  });

  it('one thread where the browser does not say how many cores it has', () => {
    expect(wasmThreadsWanted({ crossOriginIsolated: true, navigator: {} })).toBe(1);
    expect(wasmThreadsWanted({ crossOriginIsolated: true })).toBe(1);
  });
});
