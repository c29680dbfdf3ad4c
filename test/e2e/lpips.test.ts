// LPIPS weights in the page, in Chromium with software WebGPU, with no real network: routes intercept the
// pinned weight URLs and serve synthetic weight files (syntheticWeightFiles). What each test proves:
// - pinned sources: the real pinned checksums reject synthetic bytes at every source, in order, with the
//   progress bar filled and the "choose a file" option named (the success path against real checksums
//   needs the real files; the unit tests and the CLI test cover those bytes);
// - a verified download and the cache: a test hook (window.__cmLpipsSources) pins the synthetic files'
//   own checksums, so the download verifies, lands in Cache Storage, and a reload restores it offline;
// - files: a wrong file is rejected with its reason, a picked lin file and a dropped backbone (unknown
//   checksums) are accepted as "unverified", LPIPS becomes selectable, and CT trains on MNIST with it.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { LPIPS_BACKBONE_SOURCES, LPIPS_LIN_SOURCES, syntheticWeightFiles } from '../../src/core/lpips/index';
import { button, readStep, startHarness, TINY, waitForReady, waitForStep, type Harness } from './harness';

const SYN = syntheticWeightFiles('squeeze');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const PINNED_LIN = LPIPS_LIN_SOURCES.squeeze.map((s) => s.url);
const PINNED_BACKBONE = LPIPS_BACKBONE_SOURCES.squeeze.map((s) => s.url);

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

/** A fresh context (its own Cache Storage), with every pinned URL answered from `serve` and logged. */
async function freshContext(serve: (url: string) => Uint8Array | null, log: string[]): Promise<BrowserContext> {
  const context = await h.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  for (const url of [...PINNED_LIN, ...PINNED_BACKBONE]) {
    await context.route(url, async (route) => {
      log.push(route.request().url());
      const body = serve(route.request().url());
      if (!body) return route.abort('failed');
      return route.fulfill({
        status: 200, body: Buffer.from(body),
        headers: { 'content-type': 'application/octet-stream', 'access-control-allow-origin': '*', 'content-length': String(body.length) },
      });
    });
  }
  return context;
}

async function open(context: BrowserContext, query: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(`${h.baseUrl}?${query}`);
  return page;
}

const status = (page: Page) => page.getByRole('status', { name: 'LPIPS weights status', exact: true });
const problem = (page: Page) => page.getByRole('alert', { name: 'LPIPS problem', exact: true });

async function waitForStatus(page: Page, pattern: RegExp, timeout = 120_000): Promise<string> {
  await expect.poll(async () => (await status(page).textContent()) ?? '', { timeout, interval: 200 }).toMatch(pattern);
  return (await status(page).textContent()) ?? '';
}

describe('LPIPS weights in the page (route interception, synthetic weights)', () => {
  it('pinned sources: synthetic bytes fail the pinned checksums at every source, with progress, and the next option is named', async () => {
    const log: string[] = [];
    const context = await freshContext((url) => (PINNED_LIN.includes(url) ? SYN.lin : SYN.backbone), log);
    const page = await open(context, TINY);
    await waitForStatus(page, /no LPIPS weights loaded \(squeeze\)/);
    await button(page, 'Download weights').click();
    await expect(problem(page)).toBeDefined();
    await expect.poll(() => problem(page).textContent(), { timeout: 60_000 }).toMatch(/the backbone could not be downloaded/);
    const text = (await problem(page).textContent()) ?? '';
    expect(text).toMatch(/the lin layers could not be downloaded: every source failed/);
    expect(text.match(/checksum mismatch: expected sha256/g)).toHaveLength(5);
    expect(text).toMatch(/Next option: choose the file from your computer/);
    // Every pinned source was tried, in the pinned order.
    expect(log).toEqual([...PINNED_LIN, ...PINNED_BACKBONE]);
    // The progress bar shows bytes and total of the last transfer.
    const mib = (SYN.backbone.length / 1024 / 1024).toFixed(2);
    expect(await page.getByLabel('LPIPS download bytes').textContent()).toBe(`Backbone from raw.githubusercontent.com: ${mib} MiB of ${mib} MiB (last transfer)`);
    expect(await page.getByLabel('LPIPS download progress').evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([SYN.backbone.length, SYN.backbone.length]);
    expect(await status(page).textContent()).toMatch(/no LPIPS weights loaded \(squeeze\)/);
    await context.close();
  });

  it('a verified download (checksums pinned by the test hook) is cached, and a reload restores it with no request', async () => {
    const log: string[] = [];
    let online = true;
    const context = await freshContext((url) => (!online ? null : PINNED_LIN.includes(url) ? SYN.lin : SYN.backbone), log);
    await context.addInitScript(({ sources }) => {
      (window as unknown as Record<string, unknown>).__cmLpipsSources = sources;
    }, { sources: { lin: [{ url: PINNED_LIN[0], sha256: sha(SYN.lin) }], backbone: [{ url: PINNED_BACKBONE[0], sha256: sha(SYN.backbone) }] } });
    const page = await open(context, TINY);
    await waitForStatus(page, /no LPIPS weights loaded/);
    await button(page, 'Download weights').click();
    const ready = await waitForStatus(page, /LPIPS \(squeeze\) ready/);
    expect(ready).toMatch(/· verified$/);
    expect(log).toEqual([PINNED_LIN[0], PINNED_BACKBONE[0]]);
    expect(await page.getByLabel('LPIPS parts').textContent()).toMatch(/squeeze\.pth \(downloaded, verified\).*squeezenet1_1-b8a52dc0\.pth \(downloaded, verified\)/);

    // Offline now: any request to a weight URL fails. The reload must not make one.
    online = false;
    log.length = 0;
    await page.reload();
    const restored = await waitForStatus(page, /LPIPS \(squeeze\) ready/);
    expect(restored).toMatch(/· verified$/);
    expect(await page.getByLabel('LPIPS parts').textContent()).toMatch(/\(from cache, verified\).*\(from cache, verified\)/);
    expect(log).toEqual([]);
    await context.close();
  });

  it('picked and dropped files (unknown checksums: unverified) enable LPIPS, and CT trains on MNIST with it on WebGPU', async () => {
    const log: string[] = [];
    const context = await freshContext(() => null, log);
    const page = await open(context, 'd=mnist&m=ct&md=unet-tiny&bs=2&lr2=28&_ip=4&_tr=1&ev=1000&b=webgpu'); // auto would take WASM here
    const metric = page.getByLabel('Metric', { exact: true });
    await waitForStatus(page, /no LPIPS weights loaded \(squeeze\)/);
    // LPIPS stays disabled, with the reason, until both parts are there; the other metrics stay available.
    const lpipsOption = metric.locator('option[value="lpips"]');
    await expect.poll(() => lpipsOption.textContent()).toBe('LPIPS (squeeze weights not loaded)');
    expect(await lpipsOption.isDisabled()).toBe(true);
    expect(await metric.locator('option[value="l1"]').isDisabled()).toBe(false);

    const input = page.getByLabel('LPIPS weight files');
    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a weight file at all') });
    await expect.poll(() => problem(page).textContent()).toMatch(/^notes\.txt: unrecognised weight file.*Next option: choose the file/s);

    await input.setInputFiles({ name: 'lin.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(SYN.lin) });
    await waitForStatus(page, /^lin loaded \(squeeze\); backbone still needed · unverified$/);
    await expect.poll(() => lpipsOption.textContent()).toBe('LPIPS (squeeze backbone still needed)');

    // Drop the backbone on the panel (a real DragEvent carrying a File).
    await page.evaluate(({ base64, name }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name));
      const zone = document.querySelector('[data-testid="lpips-drop-zone"]')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, { base64: Buffer.from(SYN.backbone).toString('base64'), name: 'features.safetensors' });
    await waitForStatus(page, /^LPIPS \(squeeze\) ready \(unverified weights\)$/);
    expect(await page.getByLabel('LPIPS parts').textContent()).toMatch(/lin\.safetensors \(your file, unverified\).*features\.safetensors \(your file, unverified\)/);
    await expect.poll(() => lpipsOption.isDisabled()).toBe(false);

    await waitForReady(page, 240_000);
    await button(page, 'Use LPIPS (SqueezeNet 1.1)').click();
    await expect.poll(() => metric.inputValue()).toBe('lpips');
    await waitForReady(page, 240_000);
    await button(page, 'Step').click();
    await waitForStep(page, 1, 240_000);
    await button(page, 'Step').click();
    expect(await waitForStep(page, 2, 240_000)).toBe(2);
    expect(await readStep(page)).toBe(2);
    // No training error or NaN notice, and the cost per step is shown next to l2.
    expect(await page.locator('.notice-error').count()).toBe(0);
    await expect.poll(() => page.getByRole('status', { name: 'LPIPS cost per step' }).textContent(), { timeout: 120_000 })
      .toMatch(/^Cost per step \(d and its gradient, batch 2, 28 px, webgpu\): LPIPS \d+\.\d ms · l2 \d+\.\d ms/);
    expect(log).toEqual([]);
    await context.close();
  });
});
