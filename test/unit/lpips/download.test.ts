import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ByteCache, DownloadError, type FetchLike, cacheKeyFor, downloadVerified } from '../../../src/core/lpips/download';
import { LPIPS_BACKBONE_SOURCES, LPIPS_LIN_SOURCES } from '../../../src/core/lpips/sources';

const payload = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 37) & 0xff);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const goodSha = sha(payload);

/** A response streaming `bytes` in chunks, optionally claiming another Content-Length. */
function streamed(bytes: Uint8Array, chunk = 4096, contentLength = bytes.length): Response {
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
  return new Response(body, { headers: { 'content-length': String(contentLength) } });
}

function fakeFetch(routes: Record<string, () => Response | Promise<Response>>): FetchLike & { calls: string[] } {
  const calls: string[] = [];
  const f = async (url: string) => {
    calls.push(url);
    const route = routes[url];
    if (!route) throw new TypeError('Failed to fetch');
    return route();
  };
  return Object.assign(f, { calls });
}

function memoryCache(): ByteCache & { store: Map<string, Uint8Array> } {
  const store = new Map<string, Uint8Array>();
  return { store, get: async (k) => store.get(k), put: async (k, v) => void store.set(k, v) };
}

describe('downloadVerified', () => {
  it('streams with progress events up to the total and verifies the checksum', async () => {
    const events: Array<[number, number | undefined]> = [];
    const fetch = fakeFetch({ 'https://a/w.pth': () => streamed(payload) });
    const r = await downloadVerified([{ url: 'https://a/w.pth', sha256: goodSha }], {
      fetch, onProgress: (got, total) => events.push([got, total]),
    });
    expect(r).toMatchObject({ verified: true, fromCache: false, source: { url: 'https://a/w.pth' } });
    expect(Array.from(r.bytes)).toEqual(Array.from(payload));
    expect(events).toEqual([[0, 10000], [4096, 10000], [8192, 10000], [10000, 10000]]);
  });

  it('falls through to the next source on a checksum mismatch and caches only verified bytes', async () => {
    const tampered = payload.slice();
    tampered[5] ^= 1;
    const fetch = fakeFetch({ 'https://a/w': () => streamed(tampered), 'https://b/w': () => streamed(payload) });
    const cache = memoryCache();
    const r = await downloadVerified([{ url: 'https://a/w', sha256: goodSha }, { url: 'https://b/w', sha256: goodSha }], { fetch, cache });
    expect(r.source.url).toBe('https://b/w');
    expect(fetch.calls).toEqual(['https://a/w', 'https://b/w']);
    expect([...cache.store.keys()]).toEqual([`sha256:${goodSha}`]);
  });

  it('lists why every source failed: HTTP status, CORS/network, truncation, checksum', async () => {
    const fetch = fakeFetch({
      'https://a/404': () => new Response('nope', { status: 404, statusText: 'Not Found' }),
      'https://c/short': () => streamed(payload.subarray(0, 6000), 4096, 10_000),
      'https://d/wrong': () => streamed(new Uint8Array(10)),
    });
    const sources = ['https://a/404', 'https://b/cors', 'https://c/short', 'https://d/wrong'].map((url) => ({ url, sha256: goodSha }));
    const err = await downloadVerified(sources, { fetch }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    const msg = (err as DownloadError).message;
    expect(msg).toContain('- https://a/404: HTTP 404 Not Found');
    expect(msg).toContain('- https://b/cors: network error or blocked by CORS (TypeError: Failed to fetch)');
    expect(msg).toContain('- https://c/short: truncated: received 6000 of 10000 bytes');
    expect(msg).toMatch(new RegExp(`- https://d/wrong: checksum mismatch: expected sha256 ${goodSha}, got [0-9a-f]{64}`));
    expect((err as DownloadError).failures).toHaveLength(4);
  });

  it('serves a verified cache hit without fetching, and ignores a corrupted cache entry', async () => {
    const cache = memoryCache();
    cache.store.set(cacheKeyFor({ url: 'x', sha256: goodSha }), payload);
    const fetch = fakeFetch({});
    const hit = await downloadVerified([{ url: 'https://a/w', sha256: goodSha }], { fetch, cache });
    expect(hit).toMatchObject({ fromCache: true, verified: true });
    expect(fetch.calls).toEqual([]);

    cache.store.set(`sha256:${goodSha}`, new Uint8Array(3));
    const refetch = fakeFetch({ 'https://a/w': () => streamed(payload) });
    const r = await downloadVerified([{ url: 'https://a/w', sha256: goodSha }], { fetch: refetch, cache });
    expect(r.fromCache).toBe(false);
    expect(refetch.calls).toEqual(['https://a/w']);
  });

  it('returns bytes from a source without a checksum as unverified, uncached', async () => {
    const cache = memoryCache();
    const fetch = fakeFetch({ 'https://a/w': () => new Response(payload) });
    const r = await downloadVerified([{ url: 'https://a/w' }], { fetch, cache });
    expect(r.verified).toBe(false);
    expect(cache.store.size).toBe(0);
  });

  it('stops at once when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const fetch: FetchLike = async (_url, init) => {
      if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      return new Response(payload);
    };
    await expect(downloadVerified([{ url: 'https://a/w' }, { url: 'https://b/w' }], { fetch, signal: controller.signal }))
      .rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('pinned LPIPS sources', () => {
  it('try jsDelivr, then raw GitHub, at tag v0.1.4 for the lin layers', () => {
    expect(LPIPS_LIN_SOURCES.squeeze.map((s) => s.url)).toEqual([
      'https://cdn.jsdelivr.net/gh/richzhang/PerceptualSimilarity@v0.1.4/lpips/weights/v0.1/squeeze.pth',
      'https://raw.githubusercontent.com/richzhang/PerceptualSimilarity/v0.1.4/lpips/weights/v0.1/squeeze.pth',
    ]);
    expect(LPIPS_LIN_SOURCES.squeeze[0].sha256).toBe('4a5350f23600cb79923ce65bb07cbf57dca461329894153e05a1346bd531cf76');
  });

  it("try torchvision's official SqueezeNet 1.1 file first, then the pinned features-only mirrors", () => {
    const [official, ...mirrors] = LPIPS_BACKBONE_SOURCES.squeeze;
    expect(official).toEqual({
      url: 'https://download.pytorch.org/models/squeezenet1_1-b8a52dc0.pth',
      sha256: 'b8a52dc049b60e4b6ab68ad0df457362afab8b6304b2febdc1650a5dab4d7e7b',
    });
    expect(mirrors.map((m) => m.sha256)).toEqual([
      '435cedb387e95bc8291893f61a3a64f0345b8c23a05139aceef43947efb3d52d',
      '435cedb387e95bc8291893f61a3a64f0345b8c23a05139aceef43947efb3d52d',
    ]);
  });
});
