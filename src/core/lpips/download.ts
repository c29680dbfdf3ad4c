// Platform-neutral download of weight files: try pinned sources in order, stream with progress,
// verify SHA-256, cache verified bytes. fetch and the cache are injected, so the same code runs in a
// browser worker (Cache Storage / IndexedDB) and in Node tests (a fake fetch, no network).

import { sha256Hex } from '../io/sha256';

export interface WeightSource {
  url: string;
  /** Expected SHA-256 (hex). Without it the bytes are returned as unverified and not cached. */
  sha256?: string;
}

/** The parts of a fetch Response this module uses. */
export interface FetchResponseLike {
  ok: boolean;
  status: number;
  statusText?: string;
  headers: { get(name: string): string | null };
  body?: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<FetchResponseLike>;

export interface ByteCache {
  get(key: string): Promise<Uint8Array | null | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
}

export interface DownloadOptions {
  fetch: FetchLike;
  /** Bytes received so far and the expected total (undefined when the server does not say). */
  onProgress?: (received: number, total: number | undefined, source: WeightSource) => void;
  cache?: ByteCache;
  signal?: AbortSignal;
}

export interface DownloadResult {
  bytes: Uint8Array;
  source: WeightSource;
  verified: boolean;
  fromCache: boolean;
}

export interface SourceFailure {
  url: string;
  reason: string;
}

export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(readonly failures: SourceFailure[]) {
    super(
      failures.length === 0
        ? 'no download sources given'
        : `every source failed:\n${failures.map((f) => `- ${f.url}: ${f.reason}`).join('\n')}`,
    );
  }
}

/** Cache key: the content hash when known (any mirror may fill it), else the URL. */
export const cacheKeyFor = (s: WeightSource): string => (s.sha256 ? `sha256:${s.sha256.toLowerCase()}` : `url:${s.url}`);

/** Verified bytes from the cache alone (no network): for offline starts. Null when nothing is cached. */
export async function cachedVerified(sources: WeightSource[], cache: ByteCache): Promise<DownloadResult | null> {
  for (const source of sources) {
    if (!source.sha256) continue;
    const cached = await cache.get(cacheKeyFor(source)).catch(() => null);
    if (cached && (await sha256Hex(cached)) === source.sha256.toLowerCase()) {
      return { bytes: cached, source, verified: true, fromCache: true };
    }
  }
  return null;
}

export async function downloadVerified(sources: WeightSource[], options: DownloadOptions): Promise<DownloadResult> {
  const { cache } = options;
  const hit = cache ? await cachedVerified(sources, cache) : null;
  if (hit) return hit;
  const failures: SourceFailure[] = [];
  for (const source of sources) {
    let bytes: Uint8Array;
    try {
      bytes = await fetchWithProgress(source, options);
    } catch (e) {
      if (isAbort(e)) throw e;
      failures.push({ url: source.url, reason: (e as Error).message });
      continue;
    }
    if (!source.sha256) return { bytes, source, verified: false, fromCache: false };
    const got = await sha256Hex(bytes);
    if (got !== source.sha256.toLowerCase()) {
      failures.push({ url: source.url, reason: `checksum mismatch: expected sha256 ${source.sha256}, got ${got}` });
      continue;
    }
    // A failing cache (quota, private mode) must not fail the download.
    await cache?.put(cacheKeyFor(source), bytes).catch(() => undefined);
    return { bytes, source, verified: true, fromCache: false };
  }
  throw new DownloadError(failures);
}

async function fetchWithProgress(source: WeightSource, options: DownloadOptions): Promise<Uint8Array> {
  let response: FetchResponseLike;
  try {
    response = await options.fetch(source.url, { signal: options.signal });
  } catch (e) {
    if (isAbort(e)) throw e;
    // Browsers report CORS refusals and unreachable hosts alike, as a TypeError.
    const what = e instanceof TypeError ? 'network error or blocked by CORS' : 'request failed';
    throw new Error(`${what} (${(e as Error).name}: ${(e as Error).message})`);
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  const lengthHeader = response.headers.get('content-length');
  const total = lengthHeader !== null && /^\d+$/.test(lengthHeader.trim()) ? Number(lengthHeader) : undefined;
  options.onProgress?.(0, total, source);
  let bytes: Uint8Array;
  if (response.body) {
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.byteLength;
        options.onProgress?.(received, total, source);
      }
    } catch (e) {
      if (isAbort(e)) throw e;
      throw new Error(`connection lost after ${received} bytes (${(e as Error).message})`);
    }
    bytes = concat(chunks, received);
  } else {
    bytes = new Uint8Array(await response.arrayBuffer());
    options.onProgress?.(bytes.byteLength, total, source);
  }
  // A compressed transfer may legitimately deliver more bytes than Content-Length; fewer means truncation.
  if (total !== undefined && bytes.byteLength < total) {
    throw new Error(`truncated: received ${bytes.byteLength} of ${total} bytes`);
  }
  return bytes;
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function isAbort(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: string }).name === 'AbortError';
}
