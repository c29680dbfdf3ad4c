// Starts the Vite dev server and Debian's Chromium (playwright-core; no browser download) for browser
// tests. The flags give a software WebGPU adapter (SwiftShader) on machines without a GPU.
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--enable-unsafe-webgpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export interface BrowserEnv {
  server: ViteDevServer;
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startBrowserEnv(): Promise<BrowserEnv> {
  const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'error', server: { host: '127.0.0.1', port: 0, strictPort: false } });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite server has no port');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  return {
    server, browser, baseUrl: `http://127.0.0.1:${address.port}`,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
