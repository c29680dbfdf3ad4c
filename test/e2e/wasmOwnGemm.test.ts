// The own WASM matrix product (src/core/models/simdGemm.ts, hostMatMul.ts) in Chromium, where the page's 2D
// runs use it: relaxed SIMD is found, the threaded build's shared heap takes the runtime-assembled module,
// the fused step runs it, and training with it follows training with XNNPACK's product from the same seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness';

let env: Harness;
let page: Page;

beforeAll(async () => {
  env = await startHarness();
  page = await env.context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${env.baseUrl}test/e2e/wasm/ownGemm.html`);
  await page.waitForFunction(() => (window as unknown as { ownGemmReady?: boolean }).ownGemmReady === true, undefined, { timeout: 120_000 });
}, 180_000);

afterAll(async () => {
  await env?.close();
});

describe('own WASM matrix product in Chromium', () => {
  it.each([
    ['CT, SiLU, time in every layer', { mode: 'ct', activation: 'silu', timeConditioning: 'every-layer' }],
    ['CD-Heun, ReLU, input-only time', { mode: 'cd', solver: 'heun', activation: 'relu', timeConditioning: 'input' }],
  ] as const)('%s: runs on the shared heap with FMA and trains as XNNPACK\'s product does', async (_name, o) => {
    const r = await page.evaluate((over) => (window as any).ownGemmCheck({ width: 64, depth: 3, batchSize: 96, timeFeatures: 8, evalEvery: 1000, ...over }, 10), o);
    console.log(_name, JSON.stringify(r));
    expect(r.relaxed).toBe(true);
    expect(r.sharedHeap).toBe(true);
    // 2 + 2 hidden-to-hidden forwards, 3 weight gradients, 2 input gradients (the first layer's K and the
    // output layer's N stay with XNNPACK).
    expect(r.gemmsOwn).toBe(9);
    expect(r.gemmsOff).toBe(0);
    // FMA rounds once where mul + add rounds twice: ~1e-7 apart after 10 Adam steps here.
    expect(r.lossErr).toBeLessThan(1e-5);
    expect(r.weightErr).toBeLessThan(1e-5);
  });
});
