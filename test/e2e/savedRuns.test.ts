// Runs kept across reloads, in Chromium with the real IndexedDB: train, reload, Resume at the same
// step with the run's own settings and train on; delete a saved run; a full or missing store gives one
// message and training goes on.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { button, readStep, startHarness, TINY, waitForReady, waitForStep, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical violations inside the saved-runs panel and the resume offer. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    type Axe = { run(ctx: object, opts: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> };
    const axe = (window as unknown as { axe: Axe }).axe;
    const result = await axe.run({ include: [['.saved-runs'], ['.resume-offer']] }, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

const savedRuns = (page: Page) => page.getByRole('list', { name: 'Saved runs' }).getByRole('listitem');

/** Opens a page with a script that runs before the app (to break its storage). */
async function openWith(query: string, init?: string): Promise<Page> {
  const page = await h.context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  if (init) await page.addInitScript(init);
  await page.goto(`${h.baseUrl}?${query}`);
  return page;
}

/** 'agree' when the saved entry holds the step the counter shows; else both, for the failure message. */
async function savedAtShownStep(page: Page, entry: Locator): Promise<string> {
  const text = (await entry.textContent()) ?? '';
  const shown = await readStep(page);
  if (text.includes(`step ${shown} `)) return 'agree';
  const notices = await page.locator('.notices').allTextContents();
  return `counter ${shown}, entry "${text}", notices: ${notices.join(' / ') || 'none'}`;
}

async function trainTo(page: Page, steps: number): Promise<number> {
  await button(page, 'Train').click();
  await waitForStep(page, steps);
  await button(page, 'Pause').click();
  await expect.poll(() => button(page, 'Train').count()).toBe(1);
  return readStep(page);
}

describe('saved runs', () => {
  it('a run survives a reload and a fresh page: Resume restores its step and settings, and training continues', async () => {
    let page = await h.open(TINY);
    await waitForReady(page);
    expect(await page.getByRole('button', { name: /^Resume/ }).count()).toBe(0);
    await trainTo(page, 10);
    // The pause's checkpoint is written within a moment; the list says which step it holds.
    const entry = savedRuns(page).filter({ hasText: '(this run)' });
    await expect.poll(() => savedAtShownStep(page, entry), { timeout: 60_000 }).toBe('agree');
    const step = await readStep(page);
    expect(await entry.getByRole('img').count()).toBe(1); // thumbnail of the latest samples

    await page.reload();
    await waitForReady(page);
    expect(await readStep(page)).toBe(0);
    const resume = page.getByRole('button', { name: `Resume run from step ${step}`, exact: true });
    await resume.waitFor({ timeout: 30_000 });
    await resume.click();
    await expect.poll(() => readStep(page), { timeout: 60_000 }).toBe(step);
    await expect.poll(() => resume.count()).toBe(0);
    // Ready to continue: Train goes on from the saved step (not from 0).
    await button(page, 'Train').click();
    const later = await waitForStep(page, step + 5);
    expect(later).toBeGreaterThan(step);
    await button(page, 'Pause').click();
    // The last progress event and the pause's checkpoint arrive after the click: wait until both agree.
    const mine = savedRuns(page).filter({ hasText: '(this run)' });
    await expect.poll(() => savedAtShownStep(page, mine), { timeout: 60_000 }).toBe('agree');
    const resumedStep = await readStep(page);
    expect(resumedStep).toBeGreaterThan(step);
    expect(await savedRuns(page).count()).toBe(1); // the resumed run kept its entry
    await page.close();

    // A fresh page with other settings (as after a browser restart): Resume brings the run's own settings back.
    page = await h.open('mw=24&dp=2&bs=32&_p=64&_tr=4');
    await waitForReady(page);
    expect(await page.getByLabel('Width', { exact: true }).inputValue()).toBe('24');
    await page.getByRole('button', { name: `Resume run from step ${resumedStep}`, exact: true }).click();
    await expect.poll(() => readStep(page), { timeout: 60_000 }).toBe(resumedStep);
    expect(await page.getByLabel('Width', { exact: true }).inputValue()).toBe('16');
    expect(page.url()).toContain('mw=16');
    await button(page, 'Step').click();
    await expect.poll(() => readStep(page), { timeout: 60_000 }).toBe(resumedStep + 1);
    await page.close();
  });

  it('a tab that crashes while training leaves its latest autosave, offered on the next page', async () => {
    const page = await h.open(`se=11&${TINY}`);
    await waitForReady(page);
    await button(page, 'Train').click();
    // Saved while training (no pause): the entry appears once a timed checkpoint was written.
    const mine = savedRuns(page).filter({ hasText: '(this run)' });
    await mine.waitFor({ timeout: 120_000 });
    const saved = Number(/step (\d+) /.exec((await mine.textContent()) ?? '')?.[1]);
    expect(saved).toBeGreaterThan(0);
    const cdp = await h.context.newCDPSession(page);
    const crashed = page.waitForEvent('crash', { timeout: 30_000 });
    void cdp.send('Page.crash').catch(() => undefined); // the renderer dies, so this call never answers
    await crashed;
    const next = await h.open(TINY);
    await waitForReady(next);
    const entry = savedRuns(next).filter({ hasText: /seed 11(?!\d)/ });
    await entry.waitFor({ timeout: 30_000 });
    const kept = Number(/step (\d+) /.exec((await entry.textContent()) ?? '')?.[1]);
    expect(kept).toBeGreaterThanOrEqual(saved);
    await entry.getByRole('button', { name: /^Load / }).click();
    await expect.poll(() => readStep(next), { timeout: 60_000 }).toBe(kept);
    expect(await next.getByLabel('Seed', { exact: true }).inputValue()).toBe('11');
    await page.close().catch(() => undefined);
    await next.close();
  });

  it('deletes a saved run; it stays deleted after a reload; the list has nothing serious for axe', async () => {
    const page = await h.open(`se=7&${TINY}`);
    await waitForReady(page);
    await button(page, 'Advance 10').click();
    // Not a prefix match: the second run's random seed may start with 7 (seed 700513 once failed CI).
    const seven = savedRuns(page).filter({ hasText: /seed 7(?!\d)/ });
    await expect.poll(() => seven.textContent(), { timeout: 30_000 }).toContain('step 10 ');
    // A second run (another seed) on the same page gets its own entry.
    await button(page, 'New seed').click();
    await waitForReady(page);
    await button(page, 'Advance 10').click();
    const current = savedRuns(page).filter({ hasText: '(this run)' });
    await expect.poll(() => current.textContent(), { timeout: 30_000 }).toContain('step 10 ');
    expect(await seven.textContent()).not.toContain('(this run)');
    const before = await savedRuns(page).count();
    const name = (await seven.getAttribute('aria-label'))!;
    await seven.getByRole('button', { name: /^Delete saved run/ }).click();
    await expect.poll(() => savedRuns(page).count()).toBe(before - 1);
    await page.reload();
    await waitForReady(page);
    await expect.poll(() => savedRuns(page).count(), { timeout: 30_000 }).toBe(before - 1);
    expect(await page.getByRole('listitem', { name }).count()).toBe(0);
    // The list and the resume offer, with entries and thumbnails, have nothing serious for axe.
    await expect.poll(() => page.getByRole('button', { name: /^Resume run from step/ }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('a full store gives one message and training goes on', async () => {
    // Every write is refused the way a full browser store refuses it.
    const page = await openWith(TINY, `IDBObjectStore.prototype.put = function () { throw new DOMException('forced by the test', 'QuotaExceededError'); };`);
    await waitForReady(page);
    await button(page, 'Advance 10').click(); // its end sends a checkpoint at once
    const notice = page.locator('.notice[data-topic="autosave"]');
    await notice.waitFor({ timeout: 120_000 });
    expect(await notice.textContent()).toContain('storage for this page is full');
    expect(await notice.textContent()).toContain('Training goes on');
    await button(page, 'Train').click();
    const at = await readStep(page);
    await waitForStep(page, at + 20);
    expect(await button(page, 'Pause').count()).toBe(1);
    await button(page, 'Pause').click();
    // Later checkpoints fail the same way without a second message.
    await page.waitForTimeout(1500);
    expect(await page.locator('.notice[data-topic="autosave"]').count()).toBe(1);
    expect(await savedRuns(page).filter({ hasText: '(this run)' }).count()).toBe(0);
    await page.close();
  });

  it('without IndexedDB (private mode) the page says runs are not kept, and trains', async () => {
    const page = await openWith(TINY, `Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });`);
    await waitForReady(page);
    const notice = page.locator('.notice[data-topic="autosave"]');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain('Runs cannot be kept in this browser');
    expect(await page.getByText('This browser keeps no runs for this page').count()).toBe(1);
    await trainTo(page, 5);
    expect(await page.locator('.notice[data-topic="autosave"]').count()).toBe(1);
    await page.close();
  });
});
