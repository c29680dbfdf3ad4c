// The worker's LPIPS weight state driven in Node with a fake fetch and an in-memory cache: the same
// code the training worker runs, with no browser and no network.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { sha256Hex } from '../../../src/core/io/sha256';
import { LPIPS_BACKBONE_SOURCES, LPIPS_LIN_SOURCES, syntheticWeightFiles, type ByteCache, type FetchLike } from '../../../src/core/lpips/index';
import { SessionError } from '../../../src/core/run/session';
import { LpipsWorkerState } from '../../../src/worker/lpips';
import type { LpipsProgressEvent, LpipsStatusEvent, WorkerEvent } from '../../../src/worker/protocol';

const synthetic = syntheticWeightFiles('squeeze');
const mnistLpips: Config = { ...DEFAULTS, dataset: 'mnist', model: 'unet-tiny', metric: 'lpips', lpipsNet: 'squeeze', lpipsResolution: '28', batchSize: 2 };

/** Serves `routes` (url -> bytes, or an HTTP status); anything else is a CORS-style TypeError. */
function fakeFetch(routes: Record<string, Uint8Array | number>, log: string[] = []): FetchLike {
  return async (url) => {
    log.push(url);
    const r = routes[url];
    if (r === undefined) throw new TypeError('Failed to fetch');
    if (typeof r === 'number') return { ok: false, status: r, headers: { get: () => null }, arrayBuffer: async () => new ArrayBuffer(0) };
    const chunks = [r.subarray(0, r.length >> 1), r.subarray(r.length >> 1)];
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        const next = chunks.shift();
        if (next) c.enqueue(next);
        else c.close();
      },
    });
    return { ok: true, status: 200, headers: { get: (h: string) => (h.toLowerCase() === 'content-length' ? String(r.length) : null) }, body, arrayBuffer: async () => r.slice().buffer };
  };
}

function memoryCache(): ByteCache & { map: Map<string, Uint8Array> } {
  const map = new Map<string, Uint8Array>();
  return { map, get: async (k) => map.get(k) ?? null, put: async (k, b) => void map.set(k, b.slice()) };
}

function recorder() {
  const events: WorkerEvent[] = [];
  return {
    events,
    post: (e: WorkerEvent) => void events.push(e),
    statuses: () => events.filter((e): e is LpipsStatusEvent => e.type === 'lpipsStatus'),
    progress: () => events.filter((e): e is LpipsProgressEvent => e.type === 'lpipsProgress'),
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LPIPS weights in the worker: files the user chooses', () => {
  it('says the backbone is still needed after a lin file, and is ready (unverified) after both', async () => {
    const rec = recorder();
    const state = new LpipsWorkerState({ post: rec.post });
    const first = await state.addFiles('squeeze', [{ name: 'lin.safetensors', bytes: synthetic.lin }]);
    expect(first).toMatchObject({ loaded: ['lin'], missing: ['backbone'], summary: 'lin loaded (squeeze); backbone still needed', readyNets: [] });
    const both = await state.addFiles('squeeze', [{ name: 'backbone.safetensors', bytes: synthetic.backbone }]);
    expect(both).toMatchObject({ loaded: ['lin', 'backbone'], missing: [], verified: false, readyNets: ['squeeze'], problems: [] });
    expect(both.summary).toBe('LPIPS (squeeze) ready (unverified weights)');
    expect(both.files.map((f) => [f.name, f.origin, f.provides.join()])).toEqual([['lin.safetensors', 'file', 'lin'], ['backbone.safetensors', 'file', 'backbone']]);
    expect(rec.statuses()).toHaveLength(2);
  });

  it('rejects a wrong file and a file without LPIPS tensors with the reason and the next option, keeping nothing', async () => {
    const state = new LpipsWorkerState({ post: () => undefined });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6]);
    const { writeSafetensors } = await import('../../../src/core/io/safetensors');
    const other = writeSafetensors(new Map([['encoder.weight', { shape: [2, 2], data: new Float32Array(4) }]]));
    const s = await state.addFiles('squeeze', [{ name: 'digit.png', bytes: png }, { name: 'model.safetensors', bytes: other }]);
    expect(s.problems).toHaveLength(2);
    expect(s.problems[0]).toMatch(/^digit\.png: unrecognised weight file.*Next option: choose the file/s);
    expect(s.problems[1]).toMatch(/^model\.safetensors: no LPIPS lin layers or backbone tensors/);
    expect(s.files).toEqual([]);
    expect(s.missing).toEqual(['lin', 'backbone']);
  });

  it('keeps weights for each backbone apart: AlexNet lin layers do not make SqueezeNet ready', async () => {
    const state = new LpipsWorkerState({ post: () => undefined });
    const alex = syntheticWeightFiles('alex');
    await state.addFiles('squeeze', [{ name: 'alex-lin', bytes: alex.lin }, { name: 'squeeze-backbone', bytes: synthetic.backbone }]);
    const s = await state.report('squeeze', false);
    expect(s.summary).toBe('backbone loaded (squeeze); lin layers still needed');
    expect((await state.report('alex', false)).summary).toBe('lin loaded (alex); backbone still needed');
  });
});

describe('LPIPS weights in the worker: downloads', () => {
  it('reports a checksum mismatch at every pinned source and names the next option', async () => {
    const routes: Record<string, Uint8Array> = {};
    for (const s of LPIPS_LIN_SOURCES.squeeze) routes[s.url] = synthetic.lin;
    for (const s of LPIPS_BACKBONE_SOURCES.squeeze) routes[s.url] = synthetic.backbone;
    const log: string[] = [];
    const cache = memoryCache();
    const rec = recorder();
    const state = new LpipsWorkerState({ post: rec.post, fetch: fakeFetch(routes, log), cache });
    const err = await state.download('squeeze').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionError);
    expect((err as SessionError).code).toBe('invalid-weights');
    const text = (err as Error).message;
    expect(text).toMatch(/the lin layers could not be downloaded: every source failed/);
    expect(text).toMatch(/the backbone could not be downloaded: every source failed/);
    expect(text.match(/checksum mismatch: expected sha256/g)).toHaveLength(5);
    expect(text).toMatch(/Next option: choose the file from your computer/);
    // Every pinned source was tried in order, and nothing unverified was cached or kept.
    expect(log).toEqual([...LPIPS_LIN_SOURCES.squeeze, ...LPIPS_BACKBONE_SOURCES.squeeze].map((s) => s.url));
    expect(cache.map.size).toBe(0);
    expect(rec.statuses().at(-1)).toMatchObject({ missing: ['lin', 'backbone'], files: [] });
  });

  it('falls through a refused host to a source whose checksum matches, with progress up to the total, and caches it', async () => {
    const sha = { lin: await sha256Hex(synthetic.lin), backbone: await sha256Hex(synthetic.backbone) };
    const sources = {
      lin: [{ url: 'https://refuses.example/lin.pth', sha256: sha.lin }, { url: 'https://mirror.example/lin.pth', sha256: sha.lin }],
      backbone: [{ url: 'https://mirror.example/gone.pth', sha256: sha.backbone }, { url: 'https://mirror.example/backbone.pth', sha256: sha.backbone }],
    };
    const cache = memoryCache();
    const rec = recorder();
    const fetch = fakeFetch({ 'https://mirror.example/lin.pth': synthetic.lin, 'https://mirror.example/gone.pth': 404, 'https://mirror.example/backbone.pth': synthetic.backbone });
    const state = new LpipsWorkerState({ post: rec.post, fetch, cache });
    const s = await state.download('squeeze', sources);
    expect(s).toMatchObject({ missing: [], verified: true, readyNets: ['squeeze'], problems: [] });
    expect(s.files.map((f) => [f.name, f.origin, f.verified])).toEqual([['lin.pth', 'download', true], ['backbone.pth', 'download', true]]);
    const last = rec.progress().filter((p) => p.part === 'backbone').at(-1)!;
    expect(last).toMatchObject({ url: 'https://mirror.example/backbone.pth', received: synthetic.backbone.length, total: synthetic.backbone.length });
    expect([...cache.map.keys()].sort()).toEqual([`sha256:${sha.backbone}`, `sha256:${sha.lin}`].sort());

    // A later visit: a fresh worker with no network restores both parts from the cache alone.
    const offline = new LpipsWorkerState({ post: () => undefined, fetch: fakeFetch({}), cache });
    const restored = await offline.restore('squeeze', sources);
    expect(restored).toMatchObject({ missing: [], verified: true });
    expect(restored.files.map((f) => f.origin)).toEqual(['cache', 'cache']);
  });

  it('reports a truncated transfer as such', async () => {
    const short: FetchLike = async () => ({
      ok: true, status: 200, headers: { get: (h) => (h === 'content-length' ? '999999' : null) }, body: null,
      arrayBuffer: async () => synthetic.lin.slice().buffer,
    });
    const state = new LpipsWorkerState({ post: () => undefined, fetch: short });
    const err = await state.download('squeeze', { lin: [{ url: 'https://x.example/lin.pth' }], backbone: [] }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/lin layers could not be downloaded: every source failed:\n- https:\/\/x\.example\/lin\.pth: truncated: received \d+ of 999999 bytes/);
  });
});

describe('LPIPS as the session metric', () => {
  it('gives a DistanceFn with d(x, x) = 0 per sample once both parts are loaded', async () => {
    const state = new LpipsWorkerState({ post: () => undefined });
    await state.addFiles('squeeze', [{ name: 'a', bytes: synthetic.lin }, { name: 'b', bytes: synthetic.backbone }]);
    const d = await state.distanceFor(mnistLpips);
    const x = tf.randomUniform([2, 28, 28, 1], -1, 1, 'float32', 3);
    const y = tf.randomUniform([2, 28, 28, 1], -1, 1, 'float32', 4);
    const same = await d(x, x).data();
    const diff = await d(x, y).data();
    expect(Array.from(same)).toEqual([0, 0]);
    expect(diff[0]).toBeGreaterThan(0);
    tf.dispose([x, y]);
    state.dispose();
  });

  it('explains a missing part and a resolution too small for the backbone', async () => {
    const state = new LpipsWorkerState({ post: () => undefined });
    await expect(state.distanceFor(mnistLpips)).rejects.toThrow(/LPIPS needs its weights \(no LPIPS weights loaded \(squeeze\); lin layers and backbone needed\)/);
    const alex = syntheticWeightFiles('alex');
    await state.addFiles('alex', [{ name: 'a', bytes: alex.lin }, { name: 'b', bytes: alex.backbone }]);
    await expect(state.distanceFor({ ...mnistLpips, lpipsNet: 'alex' })).rejects.toThrow(/alex LPIPS needs a resolution of at least 31 px/);
  });

  it('measures LPIPS and l2 cost on a batch of the run size and reports both', async () => {
    const rec = recorder();
    const state = new LpipsWorkerState({ post: rec.post, canMeasure: () => true, config: () => mnistLpips });
    await state.addFiles('squeeze', [{ name: 'a', bytes: synthetic.lin }, { name: 'b', bytes: synthetic.backbone }]);
    await state.measureCost();
    const cost = rec.statuses().at(-1)!.cost!;
    expect(cost).toMatchObject({ net: 'squeeze', resolution: 28, batch: 2, backend: 'cpu' });
    expect(Number.isFinite(cost.lpipsMs) && Number.isFinite(cost.l2Ms)).toBe(true);
    state.dispose();
  });
});
