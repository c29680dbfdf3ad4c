// Vite dev server + Debian's Chromium for the browser benchmarks (flags as in architecture.md section 5:
// a software WebGPU adapter, SwiftShader, on machines without a GPU). The bench pages are added to Vite's
// dependency crawl so no dependency is discovered late (which would reload a page mid-measurement).
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/harness';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export { CHROMIUM_PATH };

export interface BenchBrowser {
  baseUrl: string;
  browser: Browser;
  context: BrowserContext;
  version: string;
  close(): Promise<void>;
}

export async function startBenchBrowser(): Promise<BenchBrowser> {
  const server: ViteDevServer = await createServer({
    root: ROOT,
    configFile: `${ROOT}/vite.config.ts`,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    optimizeDeps: { entries: ['test/bench/pages/*.html'] },
  });
  await server.listen();
  const { port } = server.httpServer!.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  return {
    baseUrl: `http://127.0.0.1:${port}/`, browser, context, version: browser.version(),
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}
