// How many WASM threads the worker asks for: every logical core (at most tfjs's pool of 8), and one where
// the context is not cross-origin isolated (no SharedArrayBuffer for the threaded build).
import { describe, expect, it } from 'vitest';
import { resizePool, threadsFor, wasmThreadsWanted } from '../../../src/worker/wasmThreads';

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

describe('threads per kind of work', () => {
  it('images take every thread; 2D points leave one core to the page', () => {
    expect([threadsFor('images', 2), threadsFor('points', 2)]).toEqual([2, 1]);
    expect([threadsFor('images', 8), threadsFor('points', 8)]).toEqual([8, 7]);
    expect([threadsFor('images', 1), threadsFor('points', 1)]).toEqual([1, 1]);
  });
});

describe('resizing the pool between runs', () => {
  /** A stand-in for tfjs's module: records every pool it is asked to make. */
  const fakeModule = (threads: number) => {
    const made: number[] = [];
    return { made, tfjs: { initWithThreadsCount: (n: number) => { made.push(n); threads = n; }, getThreadsCount: () => threads } };
  };

  it('makes a new pool only when the kind of work wants another size', () => {
    const wasm = fakeModule(1);
    const state = { cap: 2, pthreadsLeft: 8 };
    expect(resizePool(wasm, state, 'points')).toBe(false);
    expect(resizePool(wasm, state, 'images')).toBe(true);
    expect(resizePool(wasm, state, 'images')).toBe(false);
    expect(resizePool(wasm, state, 'points')).toBe(true);
    expect(wasm.made).toEqual([2, 1]);
    expect(state.pthreadsLeft).toBe(7); // the 2-thread pool took one pthread; the 1-thread pool none
  });

  it('stops switching when the pthread workers are spent, keeping the pool it has', () => {
    const wasm = fakeModule(7);
    const state = { cap: 8, pthreadsLeft: 10 };
    expect(resizePool(wasm, state, 'images')).toBe(true); // 8 threads: 7 pthreads
    expect(resizePool(wasm, state, 'points')).toBe(false); // 7 threads need 6, 3 are left
    expect(wasm.tfjs.getThreadsCount()).toBe(8);
    expect(state.pthreadsLeft).toBe(3);
  });
});
