// Chooses the backend for `auto` by measurement. Pure: every probe is passed in, so unit tests use fake
// adapters. Rules: a software or fallback adapter (SwiftShader, llvmpipe) never trains while a real one
// or WASM can; CPU only when nothing else starts; with several candidates each times a real training step
// within one shared budget, and the fastest wins. A remembered choice skips the measurement.
import type { BackendName } from './protocol';

export interface ProbeInfo {
  available: boolean;
  /** A software rasteriser or fallback adapter: correct but far slower than WASM. */
  software: boolean;
  adapter: string | null;
  /** Why it is unavailable. */
  reason?: string;
}

export interface BackendProbe {
  name: BackendName;
  /** Whether the backend can run here, and on what. May throw (requestAdapter can). */
  inspect(): Promise<ProbeInfo>;
  /** Activates the backend and times a real training step of the current model: ms per step. Throws if it cannot start. */
  timeStep(): Promise<number>;
}

export interface Measurement {
  backend: BackendName;
  msPerStep: number | null;
  /** Why it was not measured or lost, e.g. "software adapter", "no step within 1200 ms". */
  note: string | null;
  /** Not tried at all (software adapter, unavailable, or a remembered / only choice made timing needless). */
  skipped?: boolean;
}

export interface BackendDecision {
  backend: BackendName;
  adapter: string | null;
  /** One entry per backend, in the order the status line shows them (winner first). */
  measurements: Measurement[];
  /** The status line: "WASM 68 ms/step; WebGPU (software adapter) skipped". */
  summary: string;
  /** True when steps were timed now (worth remembering). */
  measured: boolean;
}

export interface ChooseOptions {
  /** Probes in preference order (ties and the no-measurement fallback follow it). */
  probes: BackendProbe[];
  budgetMs: number;
  now?: () => number;
  /** A choice remembered for this browser and model kind: used when still a candidate. */
  remembered?: BackendName | null;
}

export const BACKEND_LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

export function formatStepTime(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s/step`;
  return `${ms.toFixed(ms < 10 ? 1 : 0)} ms/step`;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|microsoft basic/i;

/** Adapter or renderer names of software rasterisers. */
export function isSoftwareName(name: string | null | undefined): boolean {
  return SOFTWARE.test(name ?? '');
}

const OVER_BUDGET = Symbol('over budget');

function describe(m: Measurement): string {
  const label = BACKEND_LABEL[m.backend];
  if (m.msPerStep !== null) return `${label} ${formatStepTime(m.msPerStep)}`;
  return `${label} (${m.note})${m.skipped ? ' skipped' : ''}`;
}

export async function chooseBackend(opts: ChooseOptions): Promise<BackendDecision> {
  const now = opts.now ?? (() => performance.now());
  const infos = new Map<BackendName, ProbeInfo>();
  for (const p of opts.probes) {
    try {
      infos.set(p.name, await p.inspect());
    } catch (e) {
      infos.set(p.name, { available: false, software: false, adapter: null, reason: `failed: ${(e as Error).message}` });
    }
  }
  const usable = opts.probes.filter((p) => infos.get(p.name)!.available);
  // Candidates: real adapters and WASM; software adapters only when nothing else runs; CPU last of all.
  const tiers = [
    usable.filter((p) => !infos.get(p.name)!.software && p.name !== 'cpu'),
    usable.filter((p) => p.name !== 'cpu'),
    usable,
  ];
  const candidates = tiers.find((t) => t.length > 0) ?? [];
  if (candidates.length === 0) throw new Error('no backend is available');

  // CPU is left out silently when something better runs; unavailable and software ones are named.
  const skipped: Measurement[] = opts.probes.filter((p) => !candidates.includes(p) && p.name !== 'cpu').map((p) => {
    const info = infos.get(p.name)!;
    return info.available
      ? { backend: p.name, msPerStep: null, note: info.software ? 'software adapter' : 'not needed', skipped: true }
      : { backend: p.name, msPerStep: null, note: info.reason ?? 'unavailable' };
  });
  const finish = (backend: BackendName, timed: Measurement[], measured: boolean): BackendDecision => {
    const winner = timed.find((m) => m.backend === backend)!;
    const rest = timed.filter((m) => m !== winner).sort((a, b) => (a.msPerStep ?? Infinity) - (b.msPerStep ?? Infinity));
    const measurements = [winner, ...rest, ...skipped];
    return { backend, adapter: infos.get(backend)!.adapter, measurements, summary: measurements.map(describe).join('; '), measured };
  };

  if (opts.remembered && candidates.some((p) => p.name === opts.remembered)) {
    return finish(opts.remembered, [{ backend: opts.remembered, msPerStep: null, note: 'remembered for this browser and model' }], false);
  }
  if (candidates.length === 1) {
    return finish(candidates[0].name, [{ backend: candidates[0].name, msPerStep: null, note: 'the only candidate' }], false);
  }

  const start = now();
  const timed: Measurement[] = [];
  for (const p of candidates) {
    const remaining = opts.budgetMs - (now() - start);
    if (remaining <= 0) {
      timed.push({ backend: p.name, msPerStep: null, note: 'not measured: budget spent' });
      continue;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<typeof OVER_BUDGET>((r) => (timer = setTimeout(() => r(OVER_BUDGET), remaining)));
    try {
      const ms = await Promise.race([p.timeStep(), deadline]);
      if (ms === OVER_BUDGET || ms > remaining) timed.push({ backend: p.name, msPerStep: null, note: `no step within ${Math.round(remaining)} ms` });
      else timed.push({ backend: p.name, msPerStep: ms, note: null });
    } catch (e) {
      timed.push({ backend: p.name, msPerStep: null, note: `failed: ${(e as Error).message}` });
    } finally {
      clearTimeout(timer);
    }
  }
  const finished = timed.filter((m) => m.msPerStep !== null);
  // Nothing finished in time: keep the first candidate (WASM before CPU) rather than nothing.
  const best = finished.length === 0 ? timed[0] : finished.reduce((a, b) => (b.msPerStep! < a.msPerStep! ? b : a));
  return finish(best.backend, timed, true);
}
