// The saved runs in IndexedDB: a "meta" store (what the list shows, read at start-up) and a "payload"
// store (the run file and history, read only to resume), written together in one transaction.
import type { RunStorage, SavedRun, SavedRunMeta, SavedRunPayload } from './runStorage';
import { newestFirst, StorageFullError, StorageUnavailableError, isQuotaError } from './runStorage';

const DB_NAME = 'cm-playground-runs';
const DB_VERSION = 1;
const META = 'meta';
const PAYLOAD = 'payload';

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function finished(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // A full store aborts the transaction with a QuotaExceededError.
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction was aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

function asFullError(e: unknown): unknown {
  return isQuotaError(e) ? new StorageFullError(`the browser's storage for this page is full (${(e as Error).message})`) : e;
}

/** Opens the database; throws StorageUnavailableError where IndexedDB is missing or refused (private mode). */
export async function openIndexedDbRunStorage(factory: IDBFactory | undefined = globalThis.indexedDB): Promise<RunStorage> {
  if (!factory) throw new StorageUnavailableError('this browser offers no IndexedDB');
  let db: IDBDatabase;
  try {
    const req = factory.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const d = req.result;
      if (!d.objectStoreNames.contains(META)) d.createObjectStore(META, { keyPath: 'id' });
      if (!d.objectStoreNames.contains(PAYLOAD)) d.createObjectStore(PAYLOAD, { keyPath: 'id' });
    };
    db = await promised(req);
  } catch (e) {
    throw new StorageUnavailableError(`IndexedDB could not be opened (${(e as Error)?.message ?? String(e)})`);
  }
  return new IndexedDbRunStorage(db);
}

class IndexedDbRunStorage implements RunStorage {
  constructor(private readonly db: IDBDatabase) {}

  async list(): Promise<SavedRunMeta[]> {
    const tx = this.db.transaction(META, 'readonly');
    const all = await promised(tx.objectStore(META).getAll() as IDBRequest<SavedRunMeta[]>);
    return all.sort(newestFirst);
  }

  async load(id: string): Promise<SavedRun | null> {
    const tx = this.db.transaction([META, PAYLOAD], 'readonly');
    const [meta, payload] = await Promise.all([
      promised(tx.objectStore(META).get(id) as IDBRequest<SavedRunMeta | undefined>),
      promised(tx.objectStore(PAYLOAD).get(id) as IDBRequest<(SavedRunPayload & { id: string }) | undefined>),
    ]);
    if (!meta || !payload) return null;
    const { id: _id, ...rest } = payload;
    return { ...meta, ...rest };
  }

  async save(run: SavedRun): Promise<void> {
    const { runFile, config, points, lossSteps, lossValues, ...meta } = run;
    const tx = this.db.transaction([META, PAYLOAD], 'readwrite');
    const done = finished(tx);
    try {
      tx.objectStore(PAYLOAD).put({ id: run.id, runFile, config, points, lossSteps, lossValues });
      tx.objectStore(META).put(meta);
    } catch (e) {
      // A put can also throw at once (e.g. a value that cannot be cloned): nothing of this run is written.
      done.catch(() => undefined);
      try { tx.abort(); } catch { /* already finished */ }
      throw asFullError(e);
    }
    try {
      await done;
    } catch (e) {
      throw asFullError(e);
    }
  }

  async remove(id: string): Promise<void> {
    const tx = this.db.transaction([META, PAYLOAD], 'readwrite');
    const done = finished(tx);
    tx.objectStore(META).delete(id);
    tx.objectStore(PAYLOAD).delete(id);
    await done;
  }
}
