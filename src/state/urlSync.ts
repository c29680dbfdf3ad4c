// Keeps the address bar in step with the settings, and reads a shared link once at start-up.
import { useConfig } from './configStore';
import { notify } from './notices';
import { PAGE_KEYS, withPageParams } from './pageParams';
import { decodeConfig, encodeConfig, type ExtraParams } from './urlCodec';
import { parseViewInt, useView, VIEW_DEFAULTS, VIEW_LIMITS, VIEW_URL_KEYS } from './viewStore';

function viewExtras(): ExtraParams {
  const v = useView.getState();
  const extra: ExtraParams = {};
  for (const [name, key] of Object.entries(VIEW_URL_KEYS) as [keyof typeof VIEW_URL_KEYS, string][]) {
    if (v[name] !== VIEW_DEFAULTS[name] && (name !== 'imageProbeCount' || v.imageProbeCountChosen)) extra[key] = String(v[name]);
  }
  return extra;
}

export function shareUrl(): string {
  const query = encodeConfig(useConfig.getState().config, viewExtras());
  return `${location.origin}${location.pathname}${query ? `?${query}` : ''}`;
}

/** Applies the link's settings to the stores (before the worker is configured). */
export function loadFromUrl(search = location.search): void {
  const decoded = decodeConfig(search, [...Object.values(VIEW_URL_KEYS), ...PAGE_KEYS]);
  useConfig.getState().replace(decoded.config);
  const notices = [...decoded.notices];
  for (const [name, key] of Object.entries(VIEW_URL_KEYS) as [keyof typeof VIEW_URL_KEYS, string][]) {
    const raw = decoded.extra[key];
    const v = parseViewInt(raw, VIEW_LIMITS[name]);
    if (v !== null) useView.getState().setView({ [name]: v });
    else if (raw !== undefined) notices.push(`Link parameter "${key}" was invalid and uses its default ${VIEW_DEFAULTS[name]}.`);
  }
  if (notices.length > 0) {
    notify({ kind: 'warning', topic: 'url', title: 'Some settings in this link were not used', lines: notices });
  }
  if (decoded.restored) notify({ kind: 'info', topic: 'url-version', title: 'A link from an earlier version', lines: [decoded.restored] });
}

export function syncUrl(): () => void {
  const write = () => history.replaceState(null, '', withPageParams(shareUrl(), location.search));
  const a = useConfig.subscribe((s, p) => s.config !== p.config && write());
  const b = useView.subscribe((s, p) => (Object.keys(VIEW_URL_KEYS) as (keyof typeof VIEW_URL_KEYS)[]).some((k) => s[k] !== p[k]) && write());
  write();
  return () => {
    a();
    b();
  };
}
