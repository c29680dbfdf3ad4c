// The page under its Content Security Policy (src/security/contentSecurityPolicy.ts): the production build
// served by `vite preview` with the strict policy, and the dev server with its relaxed one. Each loads the
// page, renders KaTeX, trains a few steps on WASM and pauses, with no violation: not on the document
// (securitypolicyviolation events), not in the worker (reports sent to a report-uri added for the test),
// and none in the console. A last check injects an inline script to prove the policy and the detection work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, createServer, preview, type Connect, type Plugin } from 'vite';
import { contentSecurityPolicy } from '../../src/security/contentSecurityPolicy';
import { CHROMIUM_ARGS, CHROMIUM_PATH, TINY, button, waitForReady, waitForStep } from './harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPORT_PATH = '/__csp-report';

interface Report { directive: string; blocked: string; source: string }

/** Adds `report-uri` to the policy header and collects the reports (they also come from the worker). */
function cspReports(reports: Report[]): Plugin {
  const install = (middlewares: Connect.Server) => {
    middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
      if (req.url?.startsWith(REPORT_PATH)) {
        let body = '';
        req.on('data', (c) => { body += c; });
        req.on('end', () => {
          try {
            const r = (JSON.parse(body) as { 'csp-report': Record<string, string> })['csp-report'];
            reports.push({ directive: r['violated-directive'] ?? r['effective-directive'], blocked: r['blocked-uri'], source: r['source-file'] ?? r['document-uri'] });
          } catch {
            reports.push({ directive: 'unparsed report', blocked: body.slice(0, 200), source: '' });
          }
          res.statusCode = 204;
          res.end();
        });
        return;
      }
      const set = res.setHeader.bind(res);
      const withReport = (name: string, value: unknown) =>
        (/^content-security-policy$/i.test(name) ? `${String(value)}; report-uri ${REPORT_PATH}` : value) as string;
      res.setHeader = ((name: string, value: unknown) => set(name, withReport(name, value))) as typeof res.setHeader;
      next();
    });
  };
  return { name: 'csp-reports', configureServer: (s) => install(s.middlewares), configurePreviewServer: (s) => install(s.middlewares) };
}

interface Observed {
  reports: Report[];
  consoleErrors: string[];
  policyHeaders: Map<string, string>;
}

async function openWatched(browser: Browser, baseUrl: string, observed: Observed): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  // Injected through the DevTools protocol, so the policy does not apply to this listener itself.
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') observed.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => observed.consoleErrors.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    const policy = r.headers()['content-security-policy'];
    if (policy && (path === '/' || /trainer\.worker/.test(path))) observed.policyHeaders.set(path === '/' ? 'document' : 'worker', policy);
  });
  await page.goto(`${baseUrl}?${TINY}&b=wasm`);
  return page;
}

/**
 * Loads the page, checks KaTeX rendered, trains to step 5 on WASM and pauses. The servers' headers make the
 * page cross-origin isolated, so WASM runs threads (wasmThreads.ts), as the status bar says; in the production
 * build that also proves the pthread workers start (the backend would never become ready).
 */
async function trainUnderPolicy(page: Page): Promise<void> {
  await waitForReady(page);
  expect(await page.locator('.formula .katex').count()).toBeGreaterThan(0);
  const { isolated, cores } = await page.evaluate(() => ({ isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency }));
  expect(isolated, 'the page is cross-origin isolated (COOP/COEP headers)').toBe(true);
  // Digits take every core (at most 8), 2D points leave one to the page: "1 thread for 2D, 2 for digits" on 2 cores.
  const all = Math.min(8, cores);
  const expected = all === 1 ? '1 thread' : all === 2 ? '1 thread for 2D, 2 for digits' : `${all - 1} threads for 2D, ${all} for digits`;
  await expect.poll(() => page.locator('.status-item.adapter').textContent(), { timeout: 30_000 }).toContain(expected);
  await button(page, 'Train').click();
  await waitForStep(page, 5);
  await button(page, 'Pause').click();
  await page.waitForTimeout(500); // reports are posted asynchronously
}

/**
 * An inline script must be refused, and the refusal seen (the detection works). eval cannot be probed the
 * same way (DevTools' evaluate is exempt from the page's eval rule); the policy text is checked instead.
 */
async function proveEnforcement(page: Page, observed: Observed): Promise<void> {
  const before = observed.reports.length;
  const r = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.append(s);
    return { inlineRan: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true };
  });
  expect(r).toEqual({ inlineRan: false });
  await expect.poll(() => observed.reports.length, { timeout: 5000 }).toBeGreaterThan(before);
  expect(observed.reports.slice(before).map((x) => x.directive).join(' ')).toMatch(/script-src/);
  observed.reports.splice(before);
  await page.evaluate(() => { (window as unknown as { __csp: string[] }).__csp.length = 0; });
  observed.consoleErrors.length = 0;
}

let browser: Browser | null = null;
const cleanups: Array<() => Promise<void> | void> = [];

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await browser?.close();
});

async function launch(): Promise<Browser> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  return browser;
}

function expectClean(page: Page, observed: Observed, documentViolations: string[]): void {
  expect(documentViolations, 'securitypolicyviolation events on the document').toEqual([]);
  expect(observed.reports, 'CSP reports (document and worker)').toEqual([]);
  expect(observed.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e)), 'CSP errors in the console').toEqual([]);
  if (observed.consoleErrors.length) console.log('other console errors:', observed.consoleErrors);
}

describe('content security policy', () => {
  it('the production build under the strict policy (vite preview) loads, renders KaTeX and trains on WASM without a violation', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'cm-csp-build-'));
    cleanups.push(() => rmSync(outDir, { recursive: true, force: true }));
    await build({ root: ROOT, configFile: `${ROOT}/vite.config.ts`, logLevel: 'error', build: { outDir, emptyOutDir: true, sourcemap: false } });
    const observed: Observed = { reports: [], consoleErrors: [], policyHeaders: new Map() };
    const server = await preview({
      root: ROOT, configFile: `${ROOT}/vite.config.ts`, logLevel: 'error', plugins: [cspReports(observed.reports)],
      build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    cleanups.push(() => new Promise<void>((done) => server.httpServer.close(() => done())));
    const { port } = server.httpServer.address() as AddressInfo;
    const page = await openWatched(await launch(), `http://127.0.0.1:${port}/`, observed);
    await trainUnderPolicy(page);

    const policy = contentSecurityPolicy('production');
    expect(observed.policyHeaders.get('document')).toBe(`${policy}; report-uri ${REPORT_PATH}`);
    expect(observed.policyHeaders.get('worker')).toBe(`${policy}; report-uri ${REPORT_PATH}`);
    expect(policy).not.toMatch(/unsafe-inline|'unsafe-eval'/);
    expectClean(page, observed, await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp));
    await proveEnforcement(page, observed);

    // Digits take every core: the worker makes a new pool, whose pthreads must run in the built bundle too.
    await page.goto(`http://127.0.0.1:${port}/?d=mnist&md=unet-tiny&m=ct&bs=2&_ip=4&_tr=0&b=wasm`);
    await trainUnderPolicy(page);
    expectClean(page, observed, await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp));
  });

  it('the dev server under its relaxed policy loads and trains on WASM without a violation', async () => {
    const observed: Observed = { reports: [], consoleErrors: [], policyHeaders: new Map() };
    const server = await createServer({
      root: ROOT, configFile: `${ROOT}/vite.config.ts`, logLevel: 'error', plugins: [cspReports(observed.reports)],
      server: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    await server.listen();
    cleanups.push(() => server.close());
    const { port } = server.httpServer!.address() as AddressInfo;
    const page = await openWatched(await launch(), `http://127.0.0.1:${port}/`, observed);
    await trainUnderPolicy(page);
    expect(observed.policyHeaders.get('document')).toBe(`${contentSecurityPolicy('dev')}; report-uri ${REPORT_PATH}`);
    expectClean(page, observed, await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp));
  });
});
