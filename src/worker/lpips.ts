// LPIPS weights inside the training worker: the files the user dropped or the worker downloaded,
// recognised by content; downloads from the pinned sources with progress, SHA-256 checks and a byte
// cache for offline visits; the DistanceFn a session needs; and a cost probe against l2. Fetch, cache
// and the event sink are injected, so Node tests drive the same code without a browser or network.
import * as tf from '@tensorflow/tfjs';
import type { Config } from '../core/config';
import { l2Distance, type DistanceFn } from '../core/cm/distance';
import { readWeightFile, sha256Hex, type HostTensor, type WeightFormat } from '../core/io/index';
import {
  assembleLpipsWeights, cachedVerified, createLpipsForConfig, downloadVerified, DownloadError, LPIPS_BACKBONE_SOURCES,
  LPIPS_LIN_SOURCES, LPIPS_NETS, lpipsDistanceFn, lpipsResolutionOf, measureDistanceCost,
  type ByteCache, type FetchLike, type Lpips, type LpipsNet, type LpipsPart, type LpipsWeightsStatus, type WeightSource,
} from '../core/lpips/index';
import { SessionError } from '../core/run/session';
import type { LpipsCost, LpipsFileInfo, LpipsSourceOverride, LpipsStatusEvent, WorkerEvent } from './protocol';

const PARTS: LpipsPart[] = ['lin', 'backbone'];
const PART_LABEL: Record<LpipsPart, string> = { lin: 'the lin layers', backbone: 'the backbone' };
const PICK_A_FILE = 'Next option: choose the file from your computer (or drop it on the LPIPS panel).';
/** MNIST digits: the only image data the metric applies to. */
const DIGIT_SHAPE = [28, 28, 1];

interface HeldFile {
  name: string;
  origin: LpipsFileInfo['origin'];
  sha256: string;
  format: WeightFormat;
  tensors: Map<string, HostTensor>;
}

export interface LpipsWorkerEnv {
  post: (e: WorkerEvent) => void;
  fetch?: FetchLike;
  cache?: ByteCache;
  /** Whether the cost probe may run now (a backend is up and no training loop is running). */
  canMeasure?: () => boolean;
  /** The run's current settings (batch size and LPIPS options for the cost probe). */
  config?: () => Config | null;
}

export class LpipsWorkerState {
  private files: HeldFile[] = [];
  /** SHA-256 of bytes a pinned download verified (labelled verified even when not a known file). */
  private readonly trusted = new Set<string>();
  private problems: string[] = [];
  private instance: { key: string; lpips: Lpips } | null = null;
  private cost: LpipsCost | null = null;
  private generation = 0;

  constructor(private readonly env: LpipsWorkerEnv) {}

  /** Files the user picked or dropped. Unusable ones are rejected with the reason, never kept. */
  async addFiles(net: LpipsNet, files: Array<{ name: string; bytes: Uint8Array }>): Promise<LpipsStatusEvent> {
    this.problems = [];
    for (const f of files) {
      const problem = await this.hold(f.name, f.bytes, 'file');
      if (problem) this.problems.push(`${f.name}: ${problem}. ${PICK_A_FILE}`);
    }
    return this.report(net, true);
  }

  /** Downloads each missing part of `net` from its sources in order; a failed part names every source's problem. */
  async download(net: LpipsNet, override?: LpipsSourceOverride, signal?: AbortSignal): Promise<LpipsStatusEvent> {
    this.problems = [];
    const fetchFn = this.env.fetch;
    if (!fetchFn) throw new SessionError('invalid-weights', `this environment cannot download files. ${PICK_A_FILE}`);
    const failed: string[] = [];
    for (const part of PARTS) {
      if (!this.assemble(net).missing.includes(part)) continue;
      const sources = sourcesFor(net, part, override);
      let lastProgress = 0;
      try {
        const r = await downloadVerified(sources, {
          fetch: fetchFn, cache: this.env.cache, signal,
          onProgress: (received, total, source) => {
            // At most ~20 events per second reach the page; the final count always does.
            const now = Date.now();
            if (received !== total && now - lastProgress < 50 && received !== 0) return;
            lastProgress = now;
            this.env.post({ type: 'lpipsProgress', part, url: source.url, received, total: total ?? null });
          },
        });
        if (r.verified) this.trusted.add(r.source.sha256!.toLowerCase());
        const problem = await this.hold(fileName(r.source.url), r.bytes, r.fromCache ? 'cache' : 'download');
        if (problem) failed.push(`${PART_LABEL[part]} from ${r.source.url}: ${problem}`);
        else if (!this.assemble(net).loaded.includes(part)) failed.push(`${PART_LABEL[part]} from ${r.source.url} is not ${net} ${part}`);
      } catch (e) {
        if ((e as { name?: string }).name === 'AbortError') throw e;
        const why = e instanceof DownloadError ? e.message : (e as Error).message;
        failed.push(`${PART_LABEL[part]} could not be downloaded: ${why}`);
      }
    }
    if (failed.length) this.problems = failed.map((f) => `${f}\n${PICK_A_FILE}`);
    const status = await this.report(net, true);
    if (failed.length) throw new SessionError('invalid-weights', this.problems.join('\n'));
    return status;
  }

  /** Loads verified files from the cache alone (no network), for every backbone. */
  async restore(net: LpipsNet, override?: LpipsSourceOverride): Promise<LpipsStatusEvent> {
    await this.restoreQuietly(override);
    return this.report(net, true);
  }

  /** The session's metric for `c`, restoring from the cache first when parts are missing. */
  async distanceFor(c: Config): Promise<DistanceFn> {
    let status = this.assemble(c.lpipsNet);
    if (!status.weights) {
      await this.restoreQuietly();
      status = this.assemble(c.lpipsNet);
    }
    if (!status.weights) {
      throw new SessionError('invalid-config',
        `Metric: LPIPS needs its weights (${status.summary}). Load them in the LPIPS weights panel: download, or choose the files.`);
    }
    return lpipsDistanceFn(this.lpipsFor(c, status));
  }

  /** Measures d + gradient for LPIPS and l2 on a batch of the run's size, once per setting, and reports it. */
  async measureCost(c: Config | null = this.env.config?.() ?? null): Promise<void> {
    if (!c || c.dataset !== 'mnist' || !(this.env.canMeasure?.() ?? true)) return;
    const status = this.assemble(c.lpipsNet);
    if (!status.weights) return;
    const backend = tf.getBackend();
    const resolution = lpipsResolutionOf(c);
    const same = this.cost;
    if (same && same.net === c.lpipsNet && same.resolution === resolution && same.batch === c.batchSize && same.backend === backend) return;
    let lpips: Lpips;
    try {
      lpips = this.lpipsFor(c, status);
    } catch {
      return; // e.g. a resolution too small for the backbone: the run's own error says so
    }
    const shape = [c.batchSize, ...DIGIT_SHAPE];
    const l2Ms = await measureDistanceCost(l2Distance, shape);
    const lpipsMs = await measureDistanceCost(lpipsDistanceFn(lpips), shape);
    this.cost = { net: c.lpipsNet, resolution, batch: c.batchSize, backend, lpipsMs, l2Ms };
    await this.report(c.lpipsNet, true);
  }

  /** Status of `net` as the page shows it (also sent as an event when `send`). */
  async report(net: LpipsNet, send: boolean): Promise<LpipsStatusEvent> {
    const s = this.assemble(net);
    const inUse = s.files.filter((f) => f.net === net && f.provides.length > 0 && !f.problem);
    const event: LpipsStatusEvent = {
      type: 'lpipsStatus', net,
      loaded: PARTS.filter((p) => !s.missing.includes(p)),
      missing: s.missing,
      summary: s.summary,
      verified: s.verified,
      readyNets: LPIPS_NETS.filter((n) => this.assemble(n).weights !== null),
      files: inUse.map((f) => {
        const held = this.files[f.index];
        return { name: held.name, origin: held.origin, format: f.format, net: f.net, provides: f.provides, verified: f.verified, knownAs: f.knownAs };
      }),
      problems: this.problems,
      cacheAvailable: this.env.cache !== undefined,
      cost: this.cost && this.cost.net === net ? this.cost : null,
    };
    if (send) this.env.post(event);
    return event;
  }

  dispose(): void {
    this.instance?.lpips.dispose();
    this.instance = null;
  }

  private assemble(net: LpipsNet): LpipsWeightsStatus & { loaded: LpipsPart[] } {
    const s = assembleLpipsWeights(
      this.files.map((f) => ({ tensors: f.tensors, sha256: f.sha256, format: f.format })),
      { net, trusted: this.trusted },
    );
    return { ...s, loaded: PARTS.filter((p) => !s.missing.includes(p)) };
  }

  private lpipsFor(c: Config, status: LpipsWeightsStatus): Lpips {
    const key = `${c.lpipsNet}|${c.lpipsResolution}|${this.generation}|${tf.getBackend()}`;
    if (this.instance?.key === key) return this.instance.lpips;
    try {
      this.instance?.lpips.dispose();
    } catch {
      // tensors of a lost device cannot be released; nothing else to do
    }
    this.instance = null;
    let lpips: Lpips;
    try {
      lpips = createLpipsForConfig(status.weights!, c);
    } catch (e) {
      throw new SessionError('invalid-config', `LPIPS: ${(e as Error).message}`);
    }
    this.instance = { key, lpips };
    return lpips;
  }

  /** Reads and recognises one file; returns why it is unusable, or null when it was kept. */
  private async hold(name: string, bytes: Uint8Array, origin: HeldFile['origin']): Promise<string | null> {
    const sha256 = await sha256Hex(bytes);
    let read: { format: WeightFormat; tensors: Map<string, HostTensor> };
    try {
      read = readWeightFile(bytes);
    } catch (e) {
      return (e as Error).message;
    }
    const alone = assembleLpipsWeights([{ tensors: read.tensors, sha256, format: read.format }]);
    const report = alone.files[0];
    if (report.provides.length === 0) return report.problem ?? 'no LPIPS lin layers or backbone tensors in this file';
    // The same bytes twice (a second drop, a cache hit after a download) change nothing.
    this.files = this.files.filter((f) => f.sha256 !== sha256);
    this.files.push({ name, origin, sha256, format: read.format, tensors: read.tensors });
    this.generation++;
    return null;
  }

  private async restoreQuietly(override?: LpipsSourceOverride): Promise<void> {
    const cache = this.env.cache;
    if (!cache) return;
    for (const net of LPIPS_NETS) {
      for (const part of PARTS) {
        if (!this.assemble(net).missing.includes(part)) continue;
        const hit = await cachedVerified(sourcesFor(net, part, override), cache).catch(() => null);
        if (!hit) continue;
        this.trusted.add(hit.source.sha256!.toLowerCase());
        await this.hold(fileName(hit.source.url), hit.bytes, 'cache');
      }
    }
  }
}

function sourcesFor(net: LpipsNet, part: LpipsPart, override?: LpipsSourceOverride): WeightSource[] {
  return override?.[part] ?? (part === 'lin' ? LPIPS_LIN_SOURCES[net] : LPIPS_BACKBONE_SOURCES[net]);
}

function fileName(url: string): string {
  const path = url.split(/[?#]/)[0];
  return path.slice(path.lastIndexOf('/') + 1) || url;
}

/** Cache Storage as a ByteCache (available in dedicated workers on secure origins, localhost included). */
export function cacheStorageBytes(name = 'cm-lpips-weights-v1'): ByteCache | undefined {
  if (typeof caches === 'undefined') return undefined;
  const urlOf = (key: string) => new URL(`/__lpips-cache__/${encodeURIComponent(key)}`, self.location.origin).href;
  return {
    async get(key) {
      const hit = await (await caches.open(name)).match(urlOf(key));
      return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
    },
    async put(key, bytes) {
      await (await caches.open(name)).put(urlOf(key), new Response(bytes.slice().buffer, { headers: { 'content-type': 'application/octet-stream' } }));
    },
  };
}
