// The flow-map view in the page: after a short run of a consistency model (maps to the data end only) and of
// MeanFlow (maps between any two times), the canvas is drawn (not blank), its one-step number is the quality
// readout's flow-map error, the pickers redraw another map, and ?embed=flowmap shows the view alone, evaluates
// on demand at step 0 (and says why there is no view for digits).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { button, readStep, startHarness, TINY, waitForReady, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

/** Share of the canvas's pixels that differ from its corner (the background), and how many colours it uses. */
function inked(page: Page): Promise<{ share: number; colours: number }> {
  return page.locator('canvas[data-view="flowmap"]').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 24) ink++;
      seen.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4));
    }
    return { share: ink / (d.length / 4), colours: seen.size };
  });
}

const text = async (page: Page, label: string) => (await page.getByLabel(label, { exact: true }).textContent()) ?? '';

/** Trains the run to its step budget (10, evaluated at 5 and 10) and waits for the view's numbers. */
async function trainTen(page: Page): Promise<void> {
  await waitForReady(page);
  await button(page, 'Train').click();
  await expect.poll(() => readStep(page), { timeout: 60_000 }).toBe(10);
  await page.getByLabel('One-step flow-map error in the view', { exact: true }).waitFor({ timeout: 30_000 });
  await expect.poll(() => page.evaluate(() => (window as unknown as { __playground: { latestQuality(): { step: number } | null } }).__playground.latestQuality()?.step)).toBe(10);
}

describe('flow-map error view', () => {
  it('CT (data end only): a curve over the start sigma whose one-step value is the readout\'s', async () => {
    const page = await h.open(`m=ct&ev=5&st=10&${TINY}`);
    await trainTen(page);
    const status = await text(page, 'Flow-map error');
    expect(Number(status)).toBeGreaterThan(0);
    await expect.poll(() => text(page, 'One-step flow-map error in the view')).toBe(status);
    expect(await text(page, 'Flow-map error of the drawn map')).toBe(status);
    expect(await page.getByLabel('End σ′').isDisabled()).toBe(true); // only the data end exists
    const ink = await inked(page);
    expect(ink.share).toBeGreaterThan(0.03);
    expect(ink.colours).toBeGreaterThan(8);
    const rows = page.locator('.flowmap-table tbody tr');
    expect(await rows.count()).toBe(5); // T, 10, 2, 0.5, 0.1 -> data end
    await page.close();
  }, 90_000);

  it('MeanFlow (any times): a triangle of 15 maps; picking sigma = 2 -> 0.5 redraws and reports that map', async () => {
    const page = await h.open(`m=meanflow&ev=5&st=10&${TINY}`);
    await trainTen(page);
    const status = await text(page, 'Flow-map error');
    await expect.poll(() => text(page, 'One-step flow-map error in the view')).toBe(status);
    const rows = page.locator('.flowmap-table tbody tr');
    expect(await rows.count()).toBe(15);
    const before = await page.locator('canvas[data-view="flowmap"]').evaluate((c: HTMLCanvasElement) => c.toDataURL());
    await page.getByLabel('Start σ').selectOption('2');
    await page.getByLabel('End σ′').selectOption('0.5');
    const row = rows.filter({ has: page.locator('td:nth-child(1)', { hasText: /^2$/ }) }).filter({ has: page.locator('td:nth-child(2)', { hasText: /^0\.5$/ }) });
    const cellError = await row.locator('td:nth-child(3)').textContent();
    await expect.poll(() => text(page, 'Flow-map error of the drawn map')).toBe(cellError);
    await expect.poll(() => page.locator('canvas[data-view="flowmap"]').evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(before);
    expect((await inked(page)).share).toBeGreaterThan(0.03);
    await page.close();
  }, 90_000);

  it('?embed=flowmap shows the view alone; on MNIST it says why there is no exact map', async () => {
    const page = await h.open(`embed=flowmap&m=sct&${TINY}`);
    await page.locator('canvas[data-view="flowmap"]').waitFor();
    expect(await page.locator('canvas').count()).toBe(1);
    await page.getByText('train to step 100', { exact: false }).first().waitFor();
    // On demand: the untrained model's maps at step 0, without training.
    await waitForReady(page);
    await button(page, 'Evaluate now').click();
    const oneStep = page.getByLabel('One-step flow-map error in the view', { exact: true });
    await oneStep.waitFor({ timeout: 30_000 });
    expect(Number(await oneStep.textContent())).toBeGreaterThan(0);
    expect(await readStep(page)).toBe(0);
    expect(await button(page, 'Evaluate now').count()).toBe(0); // step 0 is evaluated now
    expect((await inked(page)).share).toBeGreaterThan(0.03);
    await page.close();
    const digits = await h.open('embed=flowmap&d=mnist&bs=2&_ip=4&_tr=0');
    await expect.poll(async () => (await digits.getByRole('alert').textContent()) ?? '').toMatch(/exact PF-ODE map.*MNIST is not a known mixture/);
    await digits.close();
  }, 60_000);
});
