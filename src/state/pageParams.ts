// Query parameters that choose how the page is shown, not what the run does (?embed=<view>): they stay
// in the address bar while the settings sync, but never go into a shared settings link.
import { COMPARE_URL_KEYS } from './compare/compareUrl';

export const EMBED_KEY = 'embed';
// A comparison (compare/compareUrl.ts) stays in the address bar too while it is open.
export const PAGE_KEYS: readonly string[] = [EMBED_KEY, ...COMPARE_URL_KEYS];

/** `url` (a settings link) with the page parameters of `search` appended. */
export function withPageParams(url: string, search: string): string {
  const from = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const kept = new URLSearchParams();
  for (const key of PAGE_KEYS) {
    const v = from.get(key);
    if (v !== null) kept.set(key, v);
  }
  const extra = kept.toString();
  if (!extra) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${extra}`;
}
