// The method axis in the page: a run of each built generic method (chosen by link) trains in the worker,
// and the quality readout shows a finite one-step SWD and flow-map error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button, startHarness, TINY, waitForReady, waitForStep, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('few-step methods in the page', () => {
  it.each(['shortcut', 'ect', 'flow'])('%s trains and reports SWD and the flow-map error', async (mode) => {
    const page = await h.open(`m=${mode}&ev=5&${TINY}`);
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
    await page.close();
  }, 240_000);
});
