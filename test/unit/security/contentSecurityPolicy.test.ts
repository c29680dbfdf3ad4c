// The policy's text: what the production page may and may not do, that every pinned LPIPS source is
// reachable, and that the README's header line is the policy the servers send.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LPIPS_BACKBONE_SOURCES, LPIPS_LIN_SOURCES } from '../../../src/core/lpips/sources';
import { contentSecurityPolicy, CROSS_ORIGIN_ISOLATION } from '../../../src/security/contentSecurityPolicy';

const directives = (policy: string) => new Map(policy.split('; ').map((d) => {
  const [name, ...sources] = d.split(' ');
  return [name, sources] as const;
}));

describe('content security policy', () => {
  const prod = directives(contentSecurityPolicy('production'));

  it('production: scripts only from our origin (and blob: for the WASM pthreads), no inline script, no eval, WebAssembly allowed', () => {
    expect(prod.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", 'blob:']);
    expect(prod.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(prod.get('style-src')).toEqual(["'self'"]);
    expect(prod.get('object-src')).toEqual(["'none'"]);
    expect(prod.get('default-src')).toEqual(["'self'"]);
  });

  it('production: network access only to our origin and the origins of the pinned LPIPS sources', () => {
    const urls = [...Object.values(LPIPS_LIN_SOURCES), ...Object.values(LPIPS_BACKBONE_SOURCES)].flat().map((s) => s.url);
    const connect = prod.get('connect-src')!;
    for (const u of urls) expect(connect, u).toContain(new URL(u).origin);
    expect(connect.filter((s) => s !== "'self'").sort()).toEqual([...new Set(urls.map((u) => new URL(u).origin))].sort());
  });

  it('framing is left to the host (the ?embed= views are meant for iframes)', () => {
    expect(prod.has('frame-ancestors')).toBe(false);
  });

  it('dev adds only the inline preamble, injected styles and the HMR socket', () => {
    const dev = directives(contentSecurityPolicy('dev'));
    expect(dev.get('script-src')).toEqual([...prod.get('script-src')!, "'unsafe-inline'"]);
    expect(dev.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(dev.get('connect-src')).toEqual([...prod.get('connect-src')!, 'ws:', 'wss:']);
    expect([...dev.keys()]).toEqual([...prod.keys()]);
  });

  it('the README gives the production policy exactly, as a header and as a meta tag', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const policy = contentSecurityPolicy('production');
    expect(readme).toContain(`Content-Security-Policy: ${policy}`);
    expect(readme).toContain(`<meta http-equiv="Content-Security-Policy" content="${policy}">`);
    for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION)) expect(readme).toContain(`${name}: ${value}`);
  });
});
