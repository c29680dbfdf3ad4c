// The playground in Debian's Chromium on software WebGPU, driven like a user would. One browser and
// one dev server for the whole file; each test opens its own page (its own training worker).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  activeBackend, button, oneStepSamples, readStep, snapshotVersion, startHarness, stepCount, stepWithButton, TINY,
  waitForReady, waitForStep, type Harness,
} from './harness';
import { URL_VERSION } from '../../src/state/urlCodec';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.baseUrl });
});

afterAll(async () => {
  await h?.close();
});

async function waitForNewSnapshot(page: Page, after: number): Promise<number> {
  await page.waitForFunction((v) => (window as unknown as { __playground: { snapshotVersion(): number } }).__playground.snapshotVersion() > v,
    after, { timeout: 120_000, polling: 100 });
  return snapshotVersion(page);
}

const maxAbsDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('playground in Chromium with software WebGPU', () => {
  it('auto does not train on the software WebGPU adapter, and the status line says why', async () => {
    const page = await h.open(TINY);
    await waitForReady(page);
    expect(await readStep(page)).toBe(0);
    const reason = page.getByLabel('Backend choice', { exact: true });
    await expect.poll(() => reason.textContent(), { timeout: 60_000 }).toContain('WebGPU (software adapter) skipped');
    expect(await activeBackend(page).textContent()).toBe('wasm');
    expect(await reason.textContent()).toMatch(/^WASM/);
    // Re-measure forgets and chooses again, with the same answer here.
    await button(page, 're-measure').click();
    await expect.poll(() => reason.textContent(), { timeout: 60_000 }).toContain('WebGPU (software adapter) skipped');
    expect(await activeBackend(page).textContent()).toBe('wasm');
    await page.close();
  });

  it('Train pressed while the worker prepares is accepted; the page reports a finite one-step SWD and its timing marks', async () => {
    const page = await h.open(`ev=5&${TINY}`);
    await waitForReady(page);
    await button(page, 'Train').click(); // at once: the backend choice may still be running
    await expect.poll(() => button(page, 'Pause').count()).toBe(1);
    await waitForStep(page, 12);
    const swd = page.getByRole('status', { name: 'One-step SWD', exact: true });
    await swd.waitFor({ timeout: 60_000 });
    const value = Number(await swd.textContent());
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(0);
    await button(page, 'Pause').click();
    const t = await page.evaluate(() => (window as unknown as { __cmTimings: Record<string, unknown> }).__cmTimings);
    for (const key of ['pageLoadToFirstStepMs', 'trainToFirstStepMs', 'pageLoadToReadyMs']) expect(Number.isFinite(t[key])).toBe(true);
    expect(t.backend).toBe('wasm');
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
    expect(marks).toEqual(expect.arrayContaining(['cm:ready', 'cm:train-pressed', 'cm:first-step', 'cm:backend-chosen']));
    await page.close();
  });

  it('CT on an explicitly chosen WebGPU trains a few steps, the sample view changes, and Pause stops the step counter', async () => {
    const page = await h.open(`m=ct&b=webgpu&${TINY}`);
    await waitForReady(page);
    // The user's choice wins over auto, even on a software adapter.
    await expect.poll(() => activeBackend(page).textContent()).toBe('webgpu');
    expect(await page.getByLabel('Backend choice', { exact: true }).count()).toBe(0);
    expect(await page.getByLabel('Training mode', { exact: true }).inputValue()).toBe('ct');
    await expect.poll(() => snapshotVersion(page), { timeout: 60_000 }).toBeGreaterThan(0);
    const before = await oneStepSamples(page);
    const pixelsBefore = await page.locator('canvas[data-view="samples"]').evaluate((c: HTMLCanvasElement) => c.toDataURL());

    await button(page, 'Train').click();
    await expect.poll(() => button(page, 'Pause').count()).toBe(1);
    await waitForStep(page, 3);
    await button(page, 'Pause').click();
    await button(page, 'Train').waitFor();
    await page.waitForFunction(() => document.querySelector('.phase-paused') !== null, undefined, { timeout: 60_000 });

    // Settled: the counter must not move any more.
    const paused = await readStep(page);
    expect(paused).toBeGreaterThanOrEqual(3);
    await page.waitForTimeout(1500);
    expect(await readStep(page)).toBe(paused);

    const v = await snapshotVersion(page);
    const after = await oneStepSamples(page);
    expect(after.length).toBe(before.length);
    expect(maxAbsDiff(before, after)).toBeGreaterThan(1e-6);
    // The canvas is redrawn from the new snapshot by the render loop.
    await expect.poll(() => page.locator('canvas[data-view="samples"]').evaluate((c: HTMLCanvasElement) => c.toDataURL()))
      .not.toBe(pixelsBefore);
    expect(v).toBeGreaterThan(0);
    await page.close();
  });

  it('CD with the Heun solver trains', async () => {
    const page = await h.open(`m=cd&so=heun&${TINY}`);
    await waitForReady(page);
    expect(await page.getByLabel('Training mode', { exact: true }).inputValue()).toBe('cd');
    expect(await page.getByLabel('ODE solver', { exact: true }).inputValue()).toBe('heun');
    const v0 = await snapshotVersion(page);
    await button(page, 'Step').click();
    await waitForStep(page, 1);
    await button(page, 'Step').click();
    expect(await waitForStep(page, 2)).toBe(2);
    await waitForNewSnapshot(page, v0);
    await page.close();
  });

  it('a diverging update pauses training with a message naming the restored known-good step; Train goes on from there', async () => {
    const page = await h.open(`m=ct&${TINY}`);
    await waitForReady(page);
    await button(page, 'Train').click();
    const before = await waitForStep(page, 60);
    // Development-build hook: the next update uses a learning rate of 1e30, so the loss after it is not finite.
    await page.evaluate(() => (window as unknown as { __playground: { session: { client: { send(c: object): Promise<unknown> } } } })
      .__playground.session.client.send({ type: 'debug', action: 'diverge' }));
    const alert = page.locator('[role="alert"][data-topic="nan"]');
    await alert.waitFor({ timeout: 60_000 });
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('The loss became NaN or infinite, so training was paused');
    expect(text).toContain('Training on from there repeats the same random draws');
    const m = /The loss became (?:NaN|-?Infinity) at step (\d+)\. Training is paused and the last good checkpoint \(step (\d+): finite weights, and a finite loss computed from them\) is restored/.exec(text);
    expect(m).not.toBeNull();
    const [badStep, restored] = [Number(m![1]), Number(m![2])];
    expect(badStep).toBeGreaterThan(before);
    expect(restored).toBeGreaterThanOrEqual(50); // a candidate every 50 steps at most
    expect(restored).toBeLessThan(badStep);
    await button(page, 'Train').waitFor();
    await expect.poll(() => readStep(page)).toBe(restored);
    // Training goes on from the restored state without another alert (the hook's explosion is not repeated).
    await button(page, 'Train').click();
    await waitForStep(page, restored + 5);
    await button(page, 'Pause').click();
    expect(await page.locator('[role="alert"][data-topic="nan"]').count()).toBe(1);
    await page.close();
  });

  it('a shared link restores the same settings', async () => {
    const page = await h.open(TINY);
    await page.getByLabel('Training mode', { exact: true }).selectOption('ct');
    // CT's own default is the growing N(k) (CT_N_SCHEDULE_2D); a fixed N is a choice the link must carry.
    await page.getByLabel('N schedule', { exact: true }).selectOption('fixed');
    const n = page.getByLabel('N', { exact: true });
    await n.fill('12');
    await n.press('Enter');
    await page.getByLabel('Metric', { exact: true }).selectOption('l1');
    await button(page, 'Copy link').click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain(`v=${URL_VERSION}`);
    expect(new URL(link).searchParams.get('n')).toBe('12');
    await page.close();

    const restored = await h.context.newPage();
    await restored.goto(link);
    await expect.poll(() => restored.getByLabel('Training mode', { exact: true }).inputValue()).toBe('ct');
    expect(await restored.getByLabel('N', { exact: true }).inputValue()).toBe('12');
    expect(await restored.getByLabel('Metric', { exact: true }).inputValue()).toBe('l1');
    expect(await restored.getByLabel('ODE solver', { exact: true }).isDisabled()).toBe(true);
    await restored.close();
  });

  it('a link of the earlier settings version loads the run it was made for, says so, and is rewritten as a current link', async () => {
    const page = await h.open('v=1&m=ct&n=12&mw=16&dp=2');
    const notice = page.locator('.notice', { hasText: 'A link from an earlier version' });
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain('Learning rate');
    // Version 1 meant CT with fixed N, l2 and a constant lr 5e-3 where the link said nothing.
    expect(await page.getByLabel('N schedule', { exact: true }).inputValue()).toBe('fixed');
    expect(await page.getByLabel('Metric', { exact: true }).inputValue()).toBe('l2');
    expect(Number(await page.getByLabel('Learning rate', { exact: true }).inputValue())).toBe(0.005);
    await expect.poll(() => new URL(page.url()).searchParams.get('v')).toBe(URL_VERSION);
    expect(new URL(page.url()).searchParams.get('ns')).toBe('fixed');
    await page.close();
  });

  it('a bad link parameter falls back to its default and shows a notice naming it', async () => {
    const page = await h.open(`v=${URL_VERSION}&m=ct&n=abc&mw=16&dp=2`);
    const notice = page.locator('.notice', { hasText: 'Some settings in this link were not used' });
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain('"n" (N)');
    expect(await page.getByLabel('N', { exact: true }).inputValue()).toBe('18');
    expect(await page.getByLabel('Training mode', { exact: true }).inputValue()).toBe('ct');
    await page.close();
  });

  it('exported weights import back to the same samples', async () => {
    const page = await h.open(`m=ct&${TINY}`);
    await waitForReady(page);
    await stepWithButton(page, 2);
    const trained = await oneStepSamples(page);

    const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Export weights').click()]);
    expect(download.suggestedFilename()).toBe('consistency-ct-moons-step2.safetensors');
    const path = await download.path();
    const bytes = await readFile(path);
    expect(bytes.length).toBeGreaterThan(100);

    const v = await snapshotVersion(page);
    await button(page, 'Reset').click();
    await waitForNewSnapshot(page, v);
    await expect.poll(() => readStep(page)).toBe(0);
    expect(maxAbsDiff(trained, await oneStepSamples(page))).toBeGreaterThan(1e-6);

    const v2 = await snapshotVersion(page);
    await page.getByLabel('Import weights', { exact: true }).setInputFiles({ name: 'run.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
    await waitForNewSnapshot(page, v2);
    await expect.poll(() => stepCount(page).textContent()).toBe('2');
    expect(maxAbsDiff(trained, await oneStepSamples(page))).toBeLessThan(1e-6);
    await page.close();
  });
});
