// CD (and CT at a fixed N) train f only at the N grid times; the page marks them on 2D data: tick marks on the
// time cursor and a note when it sits between them, consistency arrows that start at grid times (said under
// the view), the flow-map chart's off-grid start levels named, and a note under taus between grid times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button, startHarness, TINY, waitForReady, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('the training grid on the page', () => {
  it('CD: ticks on the time cursor, a note and a way back to the grid, notes under the arrows, the chart and taus', async () => {
    const page = await h.open(TINY);
    await waitForReady(page);
    const slider = page.getByLabel('Time cursor t', { exact: true });
    const ticks = page.locator(`datalist[id="${await slider.getAttribute('list')}"] option`);
    expect(await ticks.count()).toBe(18);
    const cursorNote = page.getByLabel('Time cursor note', { exact: true });
    expect(await cursorNote.count()).toBe(0); // the default cursor is the grid time 0.585
    await slider.fill('500'); // halfway on the log scale: t = sqrt(0.002 * 80) = 0.4
    await expect.poll(async () => (await cursorNote.textContent()) ?? '').toContain('t is between the grid times 0.296 and 0.585: CD trains f only at grid times');
    await button(page, 'Go to 0.296').click();
    await expect.poll(() => cursorNote.count()).toBe(0);
    expect(await page.locator('.scrubber strong').first().textContent()).toBe('0.30');
    expect(await page.getByLabel('Arrow times', { exact: true }).textContent()).toContain('CD at a fixed N trains f only at its N = 18 grid times');
    await button(page, 'Evaluate now').click();
    await expect.poll(async () => (await page.getByLabel('Grid note', { exact: true }).textContent()) ?? '', { timeout: 30_000 })
      .toContain('σ = 10, 2, 0.5, 0.1 lie between them');
    const taus = page.getByLabel('Multistep taus', { exact: true });
    await taus.fill('0.7');
    await taus.press('Enter');
    const field = page.locator('.field').filter({ has: taus });
    await expect.poll(async () => (await field.locator('.field-reason').allTextContents()).join(' ')).toContain('τ = 0.7 lies between the grid times 0.585 and 1.09 (N = 18)');
    await page.close();
  }, 90_000);

  it('ECT (continuous time): no ticks and no grid notes', async () => {
    const page = await h.open(`m=ect&${TINY}`);
    await waitForReady(page);
    const slider = page.getByLabel('Time cursor t', { exact: true });
    expect(await slider.getAttribute('list')).toBeNull();
    await slider.fill('500');
    await page.waitForTimeout(300);
    expect(await page.getByLabel('Time cursor note', { exact: true }).count()).toBe(0);
    expect(await page.getByLabel('Arrow times', { exact: true }).count()).toBe(0);
    await page.close();
  }, 60_000);
});
