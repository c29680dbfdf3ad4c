// A comparison in the link: "_cmp" names the preset (or "custom"), "_cA".."_cD" hold each run's patch
// with its sampler ("so=euler&_s=multi"). Keys start with "_" so they never clash with settings keys.
import { MAX_RUNS, presetById, RUN_LABELS, type RunSpec } from './presets';

export const COMPARE_KEY = '_cmp';
export const RUN_KEYS = RUN_LABELS.map((l) => `_c${l}`);
export const COMPARE_URL_KEYS: readonly string[] = [COMPARE_KEY, ...RUN_KEYS];
const SAMPLER_KEY = '_s';

export function encodeCompare(presetId: string, runs: readonly RunSpec[]): Record<string, string> {
  const out: Record<string, string> = { [COMPARE_KEY]: presetId };
  runs.forEach((r, i) => {
    const p = new URLSearchParams(r.patch);
    if (r.sampler === 'multi') p.set(SAMPLER_KEY, 'multi');
    out[RUN_KEYS[i]] = p.toString();
  });
  return out;
}

/** Reads a comparison from link parameters; null when the link has none. Errors say what was wrong. */
export function decodeCompare(params: URLSearchParams): { presetId: string; runs: RunSpec[] } | { error: string } | null {
  const id = params.get(COMPARE_KEY);
  if (id === null) return null;
  if (id !== 'custom' && !presetById(id)) return { error: `Link parameter "${COMPARE_KEY}": unknown comparison "${id}"` };
  const runs: RunSpec[] = [];
  for (const key of RUN_KEYS) {
    const raw = params.get(key);
    if (raw === null) break;
    const p = new URLSearchParams(raw);
    const s = p.get(SAMPLER_KEY);
    if (s !== null && s !== 'multi' && s !== 'one') return { error: `Link parameter "${key}": sampler "${s}" is not one or multi` };
    p.delete(SAMPLER_KEY);
    runs.push({ patch: p.toString(), sampler: s === 'multi' ? 'multi' : 'one' });
  }
  if (runs.length < 2 || runs.length > MAX_RUNS) return { error: `A comparison needs 2 to ${MAX_RUNS} runs (${RUN_KEYS.slice(0, 2).join(', ')}, ...); the link has ${runs.length}` };
  return { presetId: id, runs };
}
