// Remembers `auto`'s measured backend per browser adapter and model kind (workers have no localStorage, so
// the page keeps it and passes it to the worker's `prepare`). Storage is injectable for tests.
import type { BackendName } from '../worker/protocol';

const KEY = 'cm:auto-backend';
const NAMES: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function defaultStore(): Store | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled (privacy settings): measure every visit
  }
}

export function loadRemembered(store: Store | null = defaultStore()): Record<string, BackendName> {
  try {
    const raw = JSON.parse(store?.getItem(KEY) ?? '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(raw).filter((e): e is [string, BackendName] => NAMES.includes(e[1] as BackendName)));
  } catch {
    return {};
  }
}

export function remember(key: string, backend: BackendName, store: Store | null = defaultStore()): void {
  try {
    store?.setItem(KEY, JSON.stringify({ ...loadRemembered(store), [key]: backend }));
  } catch {
    // quota or disabled storage: the choice is simply measured again next time
  }
}

export function forgetAll(store: Store | null = defaultStore()): void {
  try {
    store?.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
