// Assembly options the worker and the CLI rely on: restricting to one backbone, trusting checksums a
// pinned download verified; the cache-only lookup for offline starts; the page's metric gate.
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/io/sha256';
import { cachedVerified, cacheKeyFor, loadLpipsWeights, syntheticWeightFiles, type ByteCache } from '../../../src/core/lpips/index';
import { lpipsMetricReason } from '../../../src/state/lpipsStore';

const squeeze = syntheticWeightFiles('squeeze');
const alex = syntheticWeightFiles('alex');

describe('LPIPS weight assembly options', () => {
  it('net: uses only that backbone\'s files and says why the others are passed over', async () => {
    const s = await loadLpipsWeights([alex.lin, alex.backbone, squeeze.lin], { net: 'squeeze' });
    expect(s.net).toBe('squeeze');
    expect(s.summary).toBe('lin loaded (squeeze); backbone still needed');
    expect(s.files[0].problem).toBe('alex weights; LPIPS-squeeze needs squeeze files');
    const none = await loadLpipsWeights([alex.lin], { net: 'vgg' });
    expect(none.summary).toBe('no LPIPS weights loaded (vgg); lin layers and backbone needed');
    expect(none.net).toBeNull();
  });

  it('trusted: a checksum verified by a pinned download labels the weights verified', async () => {
    const trusted = new Set([await sha256Hex(squeeze.lin), await sha256Hex(squeeze.backbone)]);
    const s = await loadLpipsWeights([squeeze.lin, squeeze.backbone], { trusted });
    expect(s.verified).toBe(true);
    expect(s.summary).toBe('LPIPS (squeeze) ready');
    const half = await loadLpipsWeights([squeeze.lin, squeeze.backbone], { trusted: new Set([await sha256Hex(squeeze.lin)]) });
    expect(half.verified).toBe(false);
  });

  it('cachedVerified returns a verified cache hit, ignores corrupt entries, and never fetches', async () => {
    const source = { url: 'https://x.example/lin.pth', sha256: await sha256Hex(squeeze.lin) };
    const store = new Map<string, Uint8Array>();
    const cache: ByteCache = { get: async (k) => store.get(k) ?? null, put: async (k, b) => void store.set(k, b) };
    expect(await cachedVerified([source], cache)).toBeNull();
    store.set(cacheKeyFor(source), squeeze.backbone); // wrong bytes under the key
    expect(await cachedVerified([source], cache)).toBeNull();
    store.set(cacheKeyFor(source), squeeze.lin);
    expect(await cachedVerified([{ url: 'https://y.example/unpinned.pth' }, source], cache)).toMatchObject({ verified: true, fromCache: true, source });
  });
});

describe('the page keeps LPIPS disabled until both parts are loaded', () => {
  it('names what is missing for the run\'s backbone, and nothing once it is ready', () => {
    expect(lpipsMetricReason({ lpipsNet: 'squeeze' }, { statusByNet: {}, readyNets: [] })).toBe('squeeze weights not loaded');
    const linOnly = { missing: ['backbone'] } as never;
    expect(lpipsMetricReason({ lpipsNet: 'squeeze' }, { statusByNet: { squeeze: linOnly }, readyNets: [] })).toBe('squeeze backbone still needed');
    expect(lpipsMetricReason({ lpipsNet: 'alex' }, { statusByNet: {}, readyNets: ['squeeze'] })).toBe('alex weights not loaded');
    expect(lpipsMetricReason({ lpipsNet: 'squeeze' }, { statusByNet: {}, readyNets: ['squeeze'] })).toBeNull();
  });
});
