// The page as a new reader meets it at 1280x800: what it shows must not move or mislead while a run trains.
// Each check failed before its fix (the page review of session 6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { button, startHarness, TINY, waitForReady, waitForStep, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

async function openAt(query: string, width = 1280, height = 800): Promise<Page> {
  const page = await h.open(query);
  await page.setViewportSize({ width, height });
  return page;
}

const height = (page: Page, selector: string) => page.evaluate((s) => document.querySelector(s)!.getBoundingClientRect().height, selector);

describe('page layout', () => {
  it.each([1280, 768])('at %i px the training controls keep their height when training starts and the first SWD and flow-map error arrive', async (width) => {
    const page = await openAt(`ev=5&${TINY}`, width);
    await waitForReady(page);
    await page.waitForTimeout(300); // a frame for the layout
    const before = await height(page, '.transport');
    await button(page, 'Train').click();
    await waitForStep(page, 12);
    await page.getByRole('status', { name: 'Flow-map error', exact: true }).waitFor({ timeout: 60_000 });
    expect(await height(page, '.transport')).toBe(before);
    await button(page, 'Pause').click();
    await page.close();
  });

  it('the backend status row keeps its height between idle and training (the worker\'s phase changes its text)', async () => {
    const page = await openAt(TINY);
    await waitForReady(page);
    await page.getByLabel('Backend choice', { exact: true }).filter({ hasNotText: 'measuring' }).waitFor({ timeout: 60_000 });
    const before = await height(page, '.status-bar');
    await button(page, 'Train').click();
    await waitForStep(page, 3);
    expect(await height(page, '.status-bar')).toBe(before);
    await button(page, 'Pause').click();
    await page.close();
  });

  it('on a 768-px tablet the stop-and-rewind row keeps its height when the first checkpoint fills the Checkpoint select', async () => {
    const page = await openAt(`ev=5&${TINY}`, 768, 1024);
    await waitForReady(page);
    await page.waitForTimeout(300);
    const before = await height(page, '.run-controls');
    await button(page, 'Train').click();
    await page.waitForFunction(() => /SWD/.test(document.querySelector('select[aria-label="Rewind to"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await height(page, '.run-controls')).toBe(before);
    await button(page, 'Pause').click();
    await page.close();
  });

  it('MNIST with CT (no teacher): the empty trajectory strip is one line that says why, with no caption about its frames', async () => {
    const page = await openAt('v=3&d=mnist&m=ct');
    await waitForReady(page, 180_000);
    const strip = page.locator('figure', { has: page.locator('canvas[data-view="trajectory-strip"]') });
    expect(await strip.locator('figcaption').textContent()).toContain('none (CT has no teacher on MNIST)');
    expect(await strip.locator('.view-caption').count()).toBe(0);
    const canvas = strip.locator('canvas');
    const box = (await canvas.boundingBox())!;
    expect(box.height).toBeLessThan(box.width / 4); // a line, not the two-trajectory strip's height
    await page.close();
  });

  it('a setting the method does not read looks disabled, not only its label (s0 with a fixed N; N stays plain)', async () => {
    const page = await openAt(TINY);
    await waitForReady(page);
    const opacity = (label: string) => page.getByLabel(label, { exact: true }).evaluate((el) => Number(getComputedStyle(el).opacity));
    expect(await page.getByLabel('s0', { exact: true }).isDisabled()).toBe(true);
    expect(await opacity('s0')).toBeLessThan(0.7);
    expect(await opacity('N')).toBe(1);
    await page.close();
  });
});
