// The run's settings in the query string: versioned, only non-default values, each under its field's
// short `url` key. Decoding trusts nothing: every value goes through parseField exactly like typed input,
// and a rejected value keeps its default and is named in a notice. An older version's link gets back the
// values it left out as they were then (linkVersions.ts).
import { crossFieldErrors, defaultConfig, DEFAULTS, disabledReason, FIELD_LIST, FIELDS, MODE_DEFAULT_KEYS_2D, parseField, withDatasetDefaults, type Config, type ConfigKey } from '../core/config';
import { LINK_VERSION, leftOutByVersion } from './linkVersions';

export const URL_VERSION = LINK_VERSION;
const VERSION_KEY = 'v';

const byUrlKey = new Map(FIELD_LIST.map((f) => [f.url, f]));

function formatValue(value: Config[ConfigKey]): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

function sameValue(a: Config[ConfigKey], b: Config[ConfigKey]): boolean {
  return formatValue(a) === formatValue(b);
}

/** Settings a link leaves out when the decoder derives them (MODE_DEFAULTS_2D, each mode's lr schedule, the digits' taus). */
const DERIVED_KEYS: readonly ConfigKey[] = [...MODE_DEFAULT_KEYS_2D, 'lr', 'warmupSteps', 'lrDecay', 'taus'];

/** The config a link holding exactly `keys` of `config` decodes to (as decodeConfig, before conflict repair). */
function decodedFrom(config: Config, keys: ReadonlySet<ConfigKey>): Config {
  const linked = Object.fromEntries([...keys].map((k) => [k, config[k]]));
  return withDatasetDefaults({ ...DEFAULTS, ...linked } as Config, keys);
}

/** Extra, non-config parameters (view settings) that share the query string; keys must not clash with FIELDS. */
export type ExtraParams = Record<string, string>;

/** Query string (without "?") holding only the settings that differ from the defaults. */
export function encodeConfig(config: Config, extra: ExtraParams = {}): string {
  const keys = new Set<ConfigKey>(FIELD_LIST.filter((f) => !sameValue(config[f.key], DEFAULTS[f.key])).map((f) => f.key));
  // The decoder derives some settings from others (withDatasetDefaults: CT's N schedule, ECT's lr): a
  // setting it would derive wrongly goes in even at its global default (CT with fixed N), and one it
  // derives rightly stays out (CT with its own N schedule), so every link round-trips and stays short.
  for (let pass = 0; pass < 4; pass++) {
    const decoded = decodedFrom(config, keys);
    const missing = FIELD_LIST.filter((f) => !keys.has(f.key) && !sameValue(decoded[f.key], config[f.key]));
    if (missing.length === 0) break;
    for (const f of missing) keys.add(f.key);
  }
  for (const k of DERIVED_KEYS) {
    if (!keys.has(k)) continue;
    keys.delete(k);
    const decoded = decodedFrom(config, keys);
    if (!FIELD_LIST.every((f) => sameValue(decoded[f.key], config[f.key]))) keys.add(k);
  }
  const params = new URLSearchParams();
  for (const f of FIELD_LIST) {
    if (keys.has(f.key)) params.set(f.url, formatValue(config[f.key]));
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  if ([...params.keys()].length === 0) return '';
  // The version goes first so a reader sees it before anything it might not understand.
  return `${VERSION_KEY}=${URL_VERSION}&${params.toString()}`;
}

export interface DecodedUrl {
  config: Config;
  /** Human-readable reasons for every parameter that was ignored; empty when the link was clean. */
  notices: string[];
  /** The settings that were rejected (they keep their default). */
  rejected: ConfigKey[];
  /** Parameters claimed by the caller's extra keys, raw. */
  extra: ExtraParams;
  /** For a link of an older version: which left-out settings got back their values of then; null otherwise. */
  restored: string | null;
}

/**
 * Reads a query string. `extraKeys` are non-config parameters the caller understands (passed through raw).
 * A link of an unknown version is not guessed at: everything falls back to the defaults, with a notice; an
 * older known version gets back the values it left out (putBackLeftOut).
 */
export function decodeConfig(search: string, extraKeys: readonly string[] = []): DecodedUrl {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const notices: string[] = [];
  const rejected: ConfigKey[] = [];
  const extra: ExtraParams = {};
  const keys = [...params.keys()];
  if (keys.length === 0) return { config: defaultConfig(), notices, rejected, extra, restored: null };

  // A hand-written link without a version is read as the current one.
  const version = params.get(VERSION_KEY) ?? URL_VERSION;
  if (leftOutByVersion(version, DEFAULTS.dataset, DEFAULTS.mode) === null) {
    notices.push(`This link uses settings version "${version}", which this page does not know; all settings are at their defaults.`);
    return { config: defaultConfig(), notices, rejected, extra, restored: null };
  }

  const accepted: Partial<Record<ConfigKey, unknown>> = {};
  const order: ConfigKey[] = [];
  for (const [urlKey, raw] of params) {
    if (urlKey === VERSION_KEY) continue;
    if (extraKeys.includes(urlKey)) {
      extra[urlKey] = raw;
      continue;
    }
    const field = byUrlKey.get(urlKey);
    if (!field) {
      notices.push(`Unknown link parameter "${urlKey}" was ignored.`);
      continue;
    }
    const r = parseField(field.key, raw);
    if (r.ok) {
      accepted[field.key] = r.value;
      if (!order.includes(field.key)) order.push(field.key);
    } else {
      rejected.push(field.key);
      notices.push(`Link parameter "${urlKey}" (${field.label}) was invalid and uses its default ${formatValue(DEFAULTS[field.key])}: ${r.error}`);
    }
  }

  const restored = putBackLeftOut(version, accepted, order);
  // Settings the link leaves out follow its dataset (d=mnist alone means a U-Net with the pretrained teacher).
  const config = withDatasetDefaults({ ...DEFAULTS, taus: [...DEFAULTS.taus], ...accepted } as Config, new Set(order));
  // Cross-field conflicts: drop the linked setting whose removal clears the most conflicts (latest first
  // on ties) until none are left, so one bad value does not discard the whole link.
  let errors = crossFieldErrors(config);
  while (errors.length > 0) {
    let best: { key: ConfigKey; remaining: string[] } | null = null;
    for (const key of [...order].reverse()) {
      const trial = { ...config, [key]: DEFAULTS[key] } as Config;
      const remaining = crossFieldErrors(trial);
      if (remaining.length < errors.length && (!best || remaining.length < best.remaining.length)) best = { key, remaining };
    }
    if (!best) {
      // Nothing in the link causes it (should not happen with valid defaults): report and stop.
      notices.push(...errors);
      break;
    }
    const field = FIELD_LIST.find((f) => f.key === best!.key)!;
    const fixed = errors.filter((e) => !best!.remaining.includes(e));
    (config as unknown as Record<string, unknown>)[best.key] = DEFAULTS[best.key];
    order.splice(order.indexOf(best.key), 1);
    rejected.push(best.key);
    notices.push(`Link parameter "${field.url}" (${field.label}) conflicts with other settings and uses its default ${formatValue(DEFAULTS[best.key])}: ${fixed.join('; ')}`);
    errors = best.remaining;
  }
  return { config, notices, rejected, extra, restored };
}

/**
 * An older link's left-out settings, where their value then differs from what they would derive to now, become
 * linked settings (named in a notice), so the link loads the run it was made for.
 */
function putBackLeftOut(version: string, accepted: Partial<Record<ConfigKey, unknown>>, order: ConfigKey[]): string | null {
  const dataset = (accepted.dataset ?? DEFAULTS.dataset) as Config['dataset'];
  const mode = (accepted.mode ?? DEFAULTS.mode) as Config['mode'];
  const now = withDatasetDefaults({ ...DEFAULTS, taus: [...DEFAULTS.taus], ...accepted } as Config, new Set(order));
  const restored = (Object.entries(leftOutByVersion(version, dataset, mode) ?? {}) as Array<[ConfigKey, Config[ConfigKey]]>)
    .filter(([k, v]) => !(k in accepted) && !sameValue(v, now[k]));
  for (const [k, v] of restored) {
    accepted[k] = v;
    order.push(k);
  }
  // The message names only what this run reads (ECT's stages come back in every mode but matter to ECT alone).
  const run = { ...now, ...Object.fromEntries(restored) } as Config;
  const read = restored.filter(([k]) => disabledReason(k, run) === null);
  if (read.length === 0) return null;
  const list = read.map(([k, v]) => `${FIELDS[k].label} ${formatValue(v)}`).join(', ');
  return `This link was made by an earlier version of the page (settings version ${version}); the settings it left out keep the values they had then: ${list}.`;
}
