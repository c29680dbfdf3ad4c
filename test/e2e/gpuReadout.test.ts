// Issue 11 part 4: beside the backend, the page shows the compute dispatches of a training step and the GPU
// time per step (or why there is none) while training on WebGPU, and nothing of the kind on WASM. The count
// is the exact one: it equals the dispatches of the same step counted in a test page with the same core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CT_SETTINGS_2D } from '../../src/core/config';
import { activeBackend, button, startHarness, TINY, waitForReady, waitForStep, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('GPU performance readout', () => {
  it('shows dispatches per step on WebGPU (the exact count) and GPU time or why not', async () => {
    const page = await h.open(`m=ct&b=webgpu&${TINY}`);
    await waitForReady(page);
    expect(await activeBackend(page).textContent()).toBe('webgpu');
    await button(page, 'Train').click();
    await waitForStep(page, 3);
    await button(page, 'Pause').click();
    const dispatches = page.getByRole('status', { name: 'GPU dispatches per step', exact: true });
    await dispatches.waitFor({ timeout: 60_000 });
    const shown = Number((await dispatches.textContent())!.match(/^(\d+) dispatches$/)![1]);
    const time = (await page.getByLabel('GPU time per step', { exact: true }).textContent())!;
    const title = await page.locator('.gpu-readout').getAttribute('title');
    // Either a time from timestamp queries, or "n/a" with the reason in the tooltip.
    if (time.includes('n/a')) expect(title).toMatch(/timestamp queries|not measured yet/);
    else expect(time).toMatch(/GPU \d+(\.\d+)? ms/);
    console.log('readout:', shown, 'dispatches;', time, '|', title);

    // The same step (same settings: moons, CT with its 2D default metric, 2 x 16 SiLU, batch 32) counted in the parity page.
    const metric = await page.getByLabel('Metric', { exact: true }).inputValue();
    expect(metric).toBe(CT_SETTINGS_2D.metric);
    const probe = await h.context.newPage();
    await probe.goto(`${h.baseUrl}test/e2e/gpu/fusedParity.html`);
    await probe.waitForFunction(() => (window as unknown as { parityReady?: boolean }).parityReady === true, undefined, { timeout: 120_000 });
    const counted = await probe.evaluate((o) => (window as any).profileStep(o, 2, true), { mode: 'ct', width: 16, depth: 2, batchSize: 32, metric });
    expect(shown).toBe(counted.total);
    await probe.close();
    await page.close();
  }, 300_000);

  it('shows no dispatch readout on WASM', async () => {
    const page = await h.open(`m=ct&b=wasm&${TINY}`);
    await waitForReady(page);
    await button(page, 'Train').click();
    await waitForStep(page, 3);
    await button(page, 'Pause').click();
    expect(await page.getByRole('status', { name: 'GPU dispatches per step', exact: true }).count()).toBe(0);
    await page.close();
  }, 180_000);
});
