// The page as a teacher uses it: the guided tour over a live run, embeddable figures, and access for
// everyone (axe-core on the main states, keyboard, reduced motion, no horizontal scrolling at 1280x720
// and on a 768-px tablet). Screenshots go to test/e2e/screenshots/ (not committed) for a human look.
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { button, readStep, startHarness, TINY, waitForReady, waitForStep, type Harness } from './harness';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const SIZES = [{ name: 'laptop', width: 1280, height: 720 }, { name: 'tablet', width: 768, height: 1024 }];

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await mkdir(SHOTS, { recursive: true });
});

afterAll(async () => {
  await h?.close();
});

interface Violation { id: string; impact: string | null; help: string; nodes: string[] }

/** axe-core's serious and critical violations on the page as it is now. */
async function seriousViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 6).map((n) => n.target.join(' ')) }));
  });
}

/** No horizontal scrolling at each size; a full-page screenshot of each. */
async function checkSizes(page: Page, label: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.waitForTimeout(300); // a frame for the layout and the canvases' new sizes
    const widths = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));
    expect(widths.scroll, `${label} at ${size.name}`).toBeLessThanOrEqual(widths.inner);
    await page.screenshot({ path: `${SHOTS}${label}-${size.name}.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}${label}-${size.name}-top.png` });
  }
}

/** Waits until the step counter stops moving (the worker finishes the steps it had queued). */
async function settled(page: Page): Promise<number> {
  let last = -1;
  await expect.poll(async () => {
    const now = await readStep(page);
    const same = now === last;
    last = now;
    return same;
  }, { timeout: 60_000, interval: 500 }).toBe(true);
  return last;
}

const activeText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? null);
const focusInsideDialog = (page: Page) => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));

describe('teaching and access', () => {
  it('the tour is offered on a first visit, walks its stops by keyboard over a live run, and is remembered; axe finds nothing serious', async () => {
    // Few evaluations: each stalls the run for many seconds on this loaded 2-core machine.
    const page = await h.open(`${TINY}&ev=1000`);
    await page.evaluate(() => localStorage.removeItem('cm:tour-seen'));
    await page.reload();
    await waitForReady(page);
    const offer = page.getByRole('note').filter({ hasText: 'New here?' });
    await offer.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await checkSizes(page, '2d');
    await page.setViewportSize({ width: 1280, height: 720 });

    // Keyboard only. The offer starts the tour; it is gone then, so closing returns the focus to the Tour button.
    const dialog = page.getByRole('dialog', { name: 'Tour', exact: true });
    await offer.getByRole('button', { name: 'Start the tour' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await offer.count()).toBe(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await activeText(page)).toBe('Tour');
    // Open again from the focused Tour button: the focus lands on Next inside the dialog.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await activeText(page)).toBe('Next');
    // A real run trains behind the tour.
    const before = await readStep(page);
    await waitForStep(page, before + 3);

    const stops = await dialog.locator('.tour-progress').textContent();
    const count = Number(/of (\d+)/.exec(stops ?? '')![1]);
    expect(count).toBeGreaterThanOrEqual(6);
    expect(count).toBeLessThanOrEqual(9);
    const titles: string[] = [];
    for (let i = 0; i < count; i++) {
      expect(await dialog.locator('.tour-progress').textContent()).toBe(`Tour · ${i + 1} of ${count}`);
      titles.push((await dialog.getByRole('heading').textContent()) ?? '');
      // Each stop highlights a real element of the page, and the card stays inside the window.
      expect(await page.locator('.tour-target').count()).toBe(1);
      const box = (await dialog.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(1280);
      if (i === 2) {
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: `${SHOTS}tour-open-laptop.png` });
        // Tab cycles inside the dialog.
        for (let k = 0; k < 5; k++) {
          await page.keyboard.press('Tab');
          expect(await focusInsideDialog(page)).toBe(true);
        }
        await page.keyboard.press('Shift+Tab');
        expect(await focusInsideDialog(page)).toBe(true);
      }
      if (i < count - 1) await page.keyboard.press('ArrowRight');
    }
    expect(titles).toContain('CD vs CT');
    expect(titles).toContain('The target network and its EMA');
    // ArrowLeft goes back; Next on the last stop reads Finish.
    expect(await dialog.getByRole('button', { name: 'Finish' }).count()).toBe(1);
    await page.keyboard.press('ArrowLeft');
    expect(await dialog.locator('.tour-progress').textContent()).toBe(`Tour · ${count - 1} of ${count}`);

    // Esc closes and gives the focus back to the Tour button.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Tour');
    expect(await page.locator('.tour-target').count()).toBe(0);

    // Seen: no offer on the next visit.
    await page.reload();
    await waitForReady(page);
    expect(await page.getByRole('note').filter({ hasText: 'New here?' }).count()).toBe(0);
    expect(await button(page, 'Tour').count()).toBe(1);
    await page.close();
  });

  it('?embed=<view> shows that view alone with Train/Pause/Reset and the settings; an unknown view lists the valid ones', async () => {
    const page = await h.open(`embed=samples&m=ct&${TINY}`);
    await waitForReady(page);
    expect(await page.locator('canvas').count()).toBe(1);
    expect(await page.locator('canvas[data-view="samples"]').count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Settings' }).count()).toBe(0);
    expect(await page.getByLabel('Run settings').textContent()).toMatch(/^CT · moons · pseudo-Huber · CT schedule N\(k\), mu\(k\)/); // CT's own 2D defaults (CT_SETTINGS_2D)
    expect(new URL(page.url()).searchParams.get('embed')).toBe('samples');
    expect(await page.getByRole('note').count()).toBe(0); // no notice about an unknown link parameter
    await button(page, 'Train').click();
    await waitForStep(page, 3);
    await button(page, 'Pause').click();
    await settled(page);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 800, height: 600 });
    const widths = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: window.innerWidth, height: document.scrollingElement!.scrollHeight }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
    await page.screenshot({ path: `${SHOTS}embed-samples-800x600.png` });
    await button(page, 'Reset').click();
    await expect.poll(() => readStep(page)).toBe(0);
    await page.close();

    const bad = await h.open(`embed=sample&${TINY}`);
    const alert = bad.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    for (const name of ['samples', 'consistency', 'scrubber', 'loss', 'quality', 'schedule', 'digits', 'trajectory-strip', 'denoise', 'digit-quality']) expect(text).toContain(name);
    expect(await bad.locator('canvas').count()).toBe(0);
    expect(await seriousViolations(bad)).toEqual([]);
    // The check itself can fail: a button with no name is a critical violation.
    await bad.evaluate(() => document.body.append(Object.assign(document.createElement('button'), { id: 'nameless' })));
    expect((await seriousViolations(bad)).map((v) => v.id)).toContain('button-name');
    await bad.close();
  });

  it('the MNIST page has nothing serious for axe (light and dark) and fits a laptop and a tablet; reduced motion turns transitions off', async () => {
    const page = await h.open('d=mnist&bs=2&_ip=4&_tr=0');
    await waitForReady(page, 240_000);
    await page.getByRole('status', { name: 'Pretrained status', exact: true }).waitFor({ timeout: 240_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await checkSizes(page, 'mnist');
    await page.setViewportSize({ width: 1280, height: 720 });
    await button(page, 'Tour').click();
    const card = page.getByRole('dialog', { name: 'Tour', exact: true });
    await card.waitFor();
    expect(await page.locator('.tour-target').count()).toBe(1);
    const duration = () => card.evaluate((el) => getComputedStyle(el).transitionDuration);
    expect(await duration()).not.toMatch(/^0s(, 0s)*$/);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await duration()).toMatch(/^0s(, 0s)*$/);
    await page.keyboard.press('Escape');
    // The digit grids embed too.
    const embedded = await h.open('embed=digits&d=mnist&bs=2&_ip=4&_tr=0');
    await embedded.locator('canvas[data-view="digits-0"]').waitFor({ timeout: 240_000 });
    expect(await embedded.locator('canvas').count()).toBe(2); // one step and two steps
    expect(await embedded.getByLabel('Run settings').textContent()).toMatch(/^CD · mnist · pretrained teacher/);
    expect(await seriousViolations(embedded)).toEqual([]);
    await embedded.close();
    // The inpainting mask can be painted from the keyboard (the left half is painted at first).
    const painted = () => page.evaluate(() => [...(window as unknown as { __edit: { state(): { mask: Uint8Array } } }).__edit.state().mask].filter((v) => v > 0).length);
    const before = await painted();
    await page.locator('canvas[aria-label="Inpainting mask"]').focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Delete');
    expect(await painted()).toBeLessThan(before);
    await page.keyboard.press('Shift+ArrowRight');
    for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowRight');
    expect(await painted()).toBeGreaterThan(before);
    expect(await readStep(page)).toBe(0); // the arrows painted; they did not step the training
    // The dark theme (followed from the system setting) passes too.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});

/** Every enabled control that is shown, as a short description (for the keyboard walk). */
function shownControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((el) => el.checkVisibility() && el.tabIndex >= 0 && !el.closest('[inert]'))
      .map((el, i) => {
        el.dataset.kbd = String(i); // a mark that survives elements appearing or disappearing elsewhere
        return `${el.tagName.toLowerCase()}#${i}`;
      });
  });
}

describe('keyboard', () => {
  it('Tab reaches every shown control of the 2D page, each with a visible focus ring, and never drops focus on <body>', async () => {
    const page = await h.open(TINY);
    await waitForReady(page);
    const expected = await shownControls(page);
    expect(expected.length).toBeGreaterThan(40);
    const reached: string[] = [];
    const unringed: string[] = [];
    // Controls that appear meanwhile (a saved-run offer) are walked too, so allow for a few more presses.
    for (let i = 0; i < expected.length + 10 && !expected.every((id) => reached.includes(id)); i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        // A transparent file input shows its focus on the label around it.
        const shown = (el as HTMLInputElement).type === 'file' && el.closest('.file-button') ? el.closest('.file-button') as HTMLElement : el;
        const cs = getComputedStyle(shown);
        const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) || cs.boxShadow !== 'none';
        return { id: `${el.tagName.toLowerCase()}#${el.dataset.kbd ?? 'new'}`, ring, name: el.getAttribute('aria-label') ?? el.textContent?.slice(0, 40) ?? '' };
      });
      expect(info, `focus fell on <body> after ${reached.length} controls`).not.toBeNull();
      reached.push(info!.id);
      if (!info!.ring) unringed.push(info!.name);
    }
    expect(unringed).toEqual([]);
    expect(expected.filter((id) => !reached.includes(id))).toEqual([]);
    // A setting's tooltip opens on focus and Esc hides it, the focus staying put.
    await page.getByLabel('Training mode', { exact: true }).focus();
    await page.getByRole('tooltip').first().waitFor();
    await page.keyboard.press('Escape');
    expect(await page.getByRole('tooltip').count()).toBe(0);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.id)).toBe(await page.getByLabel('Training mode', { exact: true }).getAttribute('id'));
    // The 2D editing canvas: arrows place a line through the centre and move it up; Enter samples with it.
    await page.locator('canvas[aria-label="Conditional sampling canvas: drag a line"]').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const kept = page.getByLabel('Constraint kept', { exact: true });
    await kept.waitFor({ timeout: 120_000 });
    expect(await kept.textContent()).toMatch(/n \. p = 0\.\d+, n at 90\.0 degrees/);
    expect(await readStep(page)).toBe(0); // the arrows did not step the training
    await page.close();
  });
});

describe('teaching tools', () => {
  it('anatomy of a step and compare mode have nothing serious for axe and fit a laptop and a tablet', async () => {
    const page = await h.open(TINY);
    await waitForReady(page);
    await button(page, 'Anatomy of a step').click();
    const anatomy = page.getByRole('region', { name: /anatomy/i }).or(page.locator('section.anatomy'));
    await anatomy.first().waitFor();
    await page.getByRole('table', { name: 'Numbers of this stage' }).waitFor({ timeout: 120_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await checkSizes(page, 'anatomy');
    await page.setViewportSize({ width: 1280, height: 720 });
    await anatomy.first().getByRole('button', { name: 'Close', exact: true }).click();

    await button(page, 'Compare').click();
    await page.getByRole('region', { name: 'Run A', exact: true }).waitFor({ timeout: 120_000 });
    await page.getByRole('region', { name: 'Run B', exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await checkSizes(page, 'compare');
    await button(page, 'Close comparison').click();
    await page.close();
  });
});
