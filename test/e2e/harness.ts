// Shared set-up for the browser tests: a Vite dev server on a free port and Debian's Chromium with a
// software WebGPU adapter (architecture.md section 5). Configurations stay tiny: software WebGPU is
// about a hundred times slower than a GPU.
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--enable-unsafe-webgpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A tiny run: 2 hidden layers of 16 units, batch 32, few probes and trajectories. */
export const TINY = 'mw=16&dp=2&bs=32&_p=64&_tr=4';

export interface Harness {
  baseUrl: string;
  browser: Browser;
  context: BrowserContext;
  open(query?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const server: ViteDevServer = await createServer({
    root: ROOT,
    configFile: `${ROOT}/vite.config.ts`,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  const { port } = server.httpServer!.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  return {
    baseUrl,
    browser,
    context,
    async open(query = '') {
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error('[page error]', e.message));
      await page.goto(`${baseUrl}${query ? `?${query}` : ''}`);
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}

export const stepCount = (page: Page) => page.getByRole('status', { name: 'Step count', exact: true });
export const activeBackend = (page: Page) => page.getByRole('status', { name: 'Active backend', exact: true });
export const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

export async function readStep(page: Page): Promise<number> {
  return Number(await stepCount(page).textContent());
}

/** Waits until the run is built and warmed up (Train is enabled). Shader compilation takes seconds. */
export async function waitForReady(page: Page, timeout = 120_000): Promise<void> {
  await button(page, 'Train').waitFor({ state: 'visible', timeout });
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Train');
    return !!b && !b.disabled;
  }, undefined, { timeout });
}

/** Waits until the step counter reaches at least `n`. */
export async function waitForStep(page: Page, n: number, timeout = 120_000): Promise<number> {
  await page.waitForFunction((min) => {
    const el = document.querySelector('[aria-label="Step count"]');
    return !!el && Number(el.textContent) >= min;
  }, n, { timeout, polling: 100 });
  return readStep(page);
}

/**
 * Steps the run `n` times with the Step button (each step waited for), then waits until Step is enabled
 * again: the page has finished with the last step's snapshot.
 */
export async function stepWithButton(page: Page, n: number, timeout = 120_000): Promise<void> {
  const start = await readStep(page);
  for (let i = 1; i <= n; i++) {
    await button(page, 'Step').click();
    await waitForStep(page, start + i, timeout);
  }
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Step');
    return !!b && !b.disabled;
  }, undefined, { timeout });
}

/** Presses at `from` and drags to `to` (fractions of the element's box) in small moves. */
export async function drag(page: Page, selector: string, from: [number, number], to: [number, number]): Promise<void> {
  const box = (await page.locator(selector).boundingBox())!;
  const at = (p: [number, number]) => [box.x + p[0] * box.width, box.y + p[1] * box.height] as const;
  await page.mouse.move(...at(from));
  await page.mouse.down();
  await page.mouse.move(...at(to), { steps: 12 });
  await page.mouse.up();
}

/** Version of the latest snapshot the page holds (from the run store), or -1. */
export async function snapshotVersion(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __playground: { snapshotVersion(): number } }).__playground.snapshotVersion());
}

/** The one-step samples of the latest snapshot, as plain numbers. */
export async function oneStepSamples(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __playground: { oneStepSamples(): number[] } }).__playground.oneStepSamples());
}
