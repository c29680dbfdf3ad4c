// Cancelling an edit in the page: while a long 2D edit runs, "Cancel edit" stops it, the page says so, and
// the training that the edit interrupted goes on by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button, drag, readStep, startHarness, waitForReady, waitForStep, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('cancelling an edit', () => {
  it('Cancel edit stops a running edit; training that was running goes on', async () => {
    // A 4x512 MLP, so that 4,096 samples over 40 steps take seconds on WASM: at width 256 the own matrix product
    // (src/core/models/simdGemm.ts) made the edit short enough to end, now and then, before Cancel was pressed.
    const page = await h.open('mw=512&bs=32&_p=64&_tr=4');
    await waitForReady(page);
    const panel = page.getByRole('region', { name: 'Zero-shot editing' });
    await panel.getByLabel('Samples', { exact: true }).fill('4096');
    await panel.getByLabel('Steps', { exact: true }).fill('40');
    await button(page, 'Train').click();
    await waitForStep(page, 3);

    const canvas = 'canvas[aria-label="Conditional sampling canvas: drag a line"]';
    await page.locator(canvas).scrollIntoViewIfNeeded();
    await drag(page, canvas, [0.2, 0.8], [0.8, 0.3]);
    const cancel = button(page, 'Cancel edit');
    await cancel.waitFor({ timeout: 30_000 });
    await cancel.click();
    await page.getByRole('status', { name: 'Edit cancelled' }).waitFor({ timeout: 30_000 });
    expect(await cancel.count()).toBe(0);
    expect(await page.getByRole('alert', { name: 'Edit error' }).count()).toBe(0);
    const reply = await page.evaluate(() => (window as unknown as { __edit: { state(): { reply: unknown } } }).__edit.state().reply);
    expect(reply).toBeNull();

    // Training was running before the edit: it goes on without another press of Train.
    await expect.poll(() => button(page, 'Pause').count(), { timeout: 30_000 }).toBe(1);
    const at = await readStep(page);
    await waitForStep(page, at + 10);
    await button(page, 'Pause').click();
    await page.close();
  });
});
