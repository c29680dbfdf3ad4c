// A hidden tab: browsers stop requestAnimationFrame and throttle timers there, but the worker is not
// throttled. Emulated here by overriding document.visibilityState and holding back animation frames:
// training goes on while hidden (with rare snapshots), and once shown the views draw the latest state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { button, readStep, snapshotVersion, startHarness, TINY, waitForReady, waitForStep, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

/** Hides or shows the page as a browser would: visibility state, the event, and no animation frames while hidden. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hide) => {
    type W = typeof window & { __frames?: { real: typeof requestAnimationFrame; held: FrameRequestCallback[] } };
    const w = window as W;
    if (!w.__frames) {
      const real = window.requestAnimationFrame.bind(window);
      w.__frames = { real, held: [] };
      window.requestAnimationFrame = (cb) => {
        if (document.visibilityState === 'hidden') {
          w.__frames!.held.push(cb);
          return 0;
        }
        return real(cb);
      };
    }
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hide ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hide });
    document.dispatchEvent(new Event('visibilitychange'));
    if (!hide) for (const cb of w.__frames.held.splice(0)) w.__frames.real(cb);
  }, hidden);
}

const samplesPixels = (page: Page) => page.locator('canvas[data-view="samples"]').evaluate((c: HTMLCanvasElement) => c.toDataURL());

describe('hidden tab', () => {
  it('training goes on while hidden, snapshots slow down, and the views catch up when shown', async () => {
    // No quality evaluations in the window measured (each one pauses the steps for a while on a loaded machine),
    // and a budget the run does not reach during the test.
    const page = await h.open(`ev=100000&st=100000&${TINY}`);
    await waitForReady(page);
    await button(page, 'Train').click();
    await waitForStep(page, 10);
    // Visible: snapshots come about every 100 ms.
    const v0 = await snapshotVersion(page);
    await page.waitForTimeout(2000);
    const visibleSnapshots = (await snapshotVersion(page)) - v0;

    await setHidden(page, true);
    const pixelsHidden = await samplesPixels(page);
    const stepHidden = await readStep(page);
    await page.waitForTimeout(500); // a snapshot already on its way may still come
    const h0 = await snapshotVersion(page);
    await page.waitForTimeout(4000);
    const hiddenSnapshots = (await snapshotVersion(page)) - h0;
    const stepStillHidden = await readStep(page);
    expect(stepStillHidden).toBeGreaterThan(stepHidden + 10); // training went on
    expect(hiddenSnapshots).toBeLessThanOrEqual(1);
    expect(visibleSnapshots).toBeGreaterThan(3);
    // Nothing was drawn while hidden (no animation frames).
    expect(await samplesPixels(page)).toBe(pixelsHidden);

    await setHidden(page, false);
    const shownAt = await snapshotVersion(page);
    await expect.poll(() => snapshotVersion(page), { timeout: 5_000 }).toBeGreaterThan(shownAt);
    await expect.poll(() => samplesPixels(page), { timeout: 5_000 }).not.toBe(pixelsHidden);
    expect(await readStep(page)).toBeGreaterThanOrEqual(stepStillHidden);
    await button(page, 'Pause').click();
    await page.close();
  });
});
