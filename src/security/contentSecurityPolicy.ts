// The page's Content Security Policy, in one place for the dev server, `vite preview` and the README.
// Production: scripts only from our own origin (no inline script, no eval); WebAssembly compilation allowed
// ('wasm-unsafe-eval': tfjs-backend-wasm and the runtime-assembled SIMD kernels in models/simdOps.ts);
// network access only to our origin and the pinned LPIPS weight sources. blob: scripts and workers: the
// threaded WASM build starts its pthread workers from script text it holds in memory (src/worker/wasmThreads.ts). Framing is not restricted
// (the ?embed= views are meant for iframes): a host that wants to forbid it adds frame-ancestors itself.
import { LPIPS_BACKBONE_SOURCES, LPIPS_LIN_SOURCES } from '../core/lpips/sources';

/** Origins of every pinned LPIPS download (lin layers and backbones), sorted and without duplicates. */
export function lpipsOrigins(): string[] {
  const urls = [...Object.values(LPIPS_LIN_SOURCES), ...Object.values(LPIPS_BACKBONE_SOURCES)].flat().map((s) => s.url);
  return [...new Set(urls.map((u) => new URL(u).origin))].sort();
}

/**
 * Cross-origin isolation (SharedArrayBuffer, so the threaded WASM build): every server of the page sends these
 * with the policy. The page loads nothing from other origins but the LPIPS weights, fetched with CORS.
 */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

export type PolicyMode = 'production' | 'dev';

/**
 * The policy as a header value. 'dev' adds what Vite's dev server needs and nothing else: the inline
 * React Refresh preamble script, the <style> tags Vite injects for CSS modules and hot updates, and the
 * hot-update WebSocket.
 */
export function contentSecurityPolicy(mode: PolicyMode = 'production'): string {
  const dev = mode === 'dev';
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", "'wasm-unsafe-eval'", 'blob:', ...(dev ? ["'unsafe-inline'"] : [])]],
    ['worker-src', ["'self'", 'blob:']],
    ['connect-src', ["'self'", ...lpipsOrigins(), ...(dev ? ['ws:', 'wss:'] : [])]],
    ['style-src', ["'self'", ...(dev ? ["'unsafe-inline'"] : [])]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
