// Node side of the worker tests: one browser (startHarness) with harness.html open and its
// window.harness ready, plus the type tests give that object inside page.evaluate.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startHarness, type Harness } from '../harness';

/** window.harness as harness.ts sets it up; lastOf answers any event type, hence `any`. */
export type WorkerHarness = {
  client: import('../../../src/worker/client').TrainerClient;
  events: import('../../../src/worker/protocol').WorkerEvent[];
  crashes: { restoredStep: number | null; message: string }[];
  config(o: object): import('../../../src/core/config').Config;
  lastOf(t: string): any;
  count(t: string): number;
  syntheticLpips(net: string): { lin: Uint8Array; backbone: Uint8Array };
};

export async function openWorkerHarness(): Promise<{ env: Harness; page: Page }> {
  const env = await startHarness();
  const page = await env.context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${env.baseUrl}test/e2e/worker/harness.html`);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  return { env, page };
}

/** Opens the harness before a test file's tests and closes it after them; the page is valid inside tests. */
export function workerHarnessPerFile(): () => Page {
  let opened: { env: Harness; page: Page } | null = null;
  beforeAll(async () => {
    opened = await openWorkerHarness();
  });
  afterAll(async () => {
    await opened?.env.close();
  });
  return () => opened!.page;
}
