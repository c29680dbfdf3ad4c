// Remembered auto choices: per key, survive a reload (same storage), ignore junk, forgotten on re-measure.
import { describe, expect, it } from 'vitest';
import { forgetAll, loadRemembered, remember } from '../../../src/state/backendMemory';

function fakeStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe('backend memory', () => {
  it('keeps one backend per adapter and model kind', () => {
    const s = fakeStorage();
    remember('mlp|webgpu=nvidia', 'webgpu', s);
    remember('unet|webgpu=nvidia', 'wasm', s);
    remember('mlp|webgpu=nvidia', 'wasm', s);
    expect(loadRemembered(s)).toEqual({ 'mlp|webgpu=nvidia': 'wasm', 'unet|webgpu=nvidia': 'wasm' });
  });

  it('ignores unreadable or foreign entries, and forgets everything on re-measure', () => {
    const s = fakeStorage();
    s.setItem('cm:auto-backend', '{not json');
    expect(loadRemembered(s)).toEqual({});
    s.setItem('cm:auto-backend', JSON.stringify({ a: 'webgpu', b: 'quantum', c: 3 }));
    expect(loadRemembered(s)).toEqual({ a: 'webgpu' });
    forgetAll(s);
    expect(loadRemembered(s)).toEqual({});
  });

  it('works without storage (disabled by privacy settings)', () => {
    expect(loadRemembered(null)).toEqual({});
    expect(() => remember('k', 'wasm', null)).not.toThrow();
    const throwing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => { throw new Error('denied'); } };
    expect(loadRemembered(throwing)).toEqual({});
    expect(() => remember('k', 'wasm', throwing)).not.toThrow();
    expect(() => forgetAll(throwing)).not.toThrow();
  });
});
