// The method axis in the page: a run of each method (chosen by link) trains in the worker, and the quality
// readout shows a finite one-step SWD and flow-map error; the trajectory view says whose ODE it draws, and
// T is disabled for the flow methods (they never read it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/core/config';
import { lossTitle, scheduleTitle } from '../../src/render/chartViews';
import { trajectoryViewTitle } from '../../src/render/trajectoryTitles';
import { button, startHarness, TINY, waitForReady, waitForStep, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('few-step methods in the page', () => {
  // Every mode of the method picker, chosen by link: it trains, its numbers are finite, nothing throws, and
  // the charts are titled for that method (CD/CT's N(k) and mu(k) only where they exist).
  it.each(['cd', 'ct', 'ect', 'scd', 'sct', 'meanflow', 'shortcut', 'flow'] as const)('%s trains and reports SWD and the flow-map error', async (mode) => {
    const errors: string[] = [];
    const page = await h.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.baseUrl}?m=${mode}&ev=5&${TINY}`);
    await waitForReady(page);
    await expect.poll(() => page.getByLabel('Training mode', { exact: true }).inputValue()).toBe(mode);
    await button(page, 'Train').click();
    await waitForStep(page, 6);
    for (const name of ['One-step SWD', 'Flow-map error']) {
      const out = page.getByRole('status', { name, exact: true });
      await out.waitFor({ timeout: 90_000 });
      const value = Number(await out.textContent());
      expect(Number.isFinite(value), name).toBe(true);
      expect(value).toBeGreaterThan(0);
    }
    await button(page, 'Pause').click();
    const titles = await page.locator('.view-title').allTextContents();
    expect(titles).toContain(lossTitle(mode));
    expect(titles).toContain(scheduleTitle(mode));
    // Only CD, ECT and sCD have a teacher (here the exact one); the others draw the mixture's exact ODE.
    const trajectories = titles.filter((t) => t.includes('PF-ODE trajectories'));
    expect(trajectories).toEqual([trajectoryViewTitle({ ...DEFAULTS, mode })]);
    expect(trajectories[0].startsWith('Teacher'), trajectories[0]).toBe(['cd', 'ect', 'scd'].includes(mode));
    const source = page.getByLabel('Trajectory source', { exact: true });
    expect(await source.textContent()).toMatch(['cd', 'ect', 'scd'].includes(mode) ? /^The teacher is exact/ : /has no teacher: the curves are the exact PF-ODE of the data mixture/);
    const flow = ['meanflow', 'shortcut', 'flow'].includes(mode);
    expect(await page.getByLabel('T', { exact: true }).isDisabled()).toBe(flow);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
