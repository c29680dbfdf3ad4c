// Issue 11: the fused WebGPU kernels on Chromium's software adapter, where counts are exact and times mean
// nothing: compute dispatches per default 2D training step (fused path and plain-op path, with the fused
// step's histogram by program), and the largest relative difference between the two paths over a few
// training steps from the same seed (losses and every state buffer; the test's cases, tiny MLP).
// A dispatch count depends on the method and the network's depth, not on its width or the batch.
import type { BenchBrowser } from '../lib/browser';
import { log } from '../lib/log';

export interface WebgpuFusedResult {
  adapter: string;
  dispatches: { mode: string; fused: number; plain: number; fusedByProgram: Record<string, number> }[];
  parity: { case: string; steps: number; lossRelErr: number; stateRelErr: number }[];
  parityMaxRelErr: number;
}

const CASES: [string, Record<string, unknown>][] = [
  ['CT, SiLU, l2', { mode: 'ct', activation: 'silu', metric: 'l2' }],
  ['CT, ReLU, l2', { mode: 'ct', activation: 'relu', metric: 'l2' }],
  ['CD-Heun, SiLU, l2', { mode: 'cd', solver: 'heun', activation: 'silu', metric: 'l2' }],
  ['CD-Heun, ReLU, l2', { mode: 'cd', solver: 'heun', activation: 'relu', metric: 'l2' }],
  ['CT, SiLU, l1', { mode: 'ct', activation: 'silu', metric: 'l1' }],
  ['CD-Heun, ReLU, pseudo-Huber', { mode: 'cd', solver: 'heun', activation: 'relu', metric: 'pseudo-huber' }],
];
const TINY = { width: 16, depth: 2, batchSize: 16, timeFeatures: 4, N: 8, evalEvery: 1000 };

export async function webgpuFusedSection(env: BenchBrowser, quick: boolean): Promise<WebgpuFusedResult> {
  const page = await env.context.newPage();
  page.on('pageerror', (e) => log(`webgpu fused page error: ${e.message}`));
  await page.goto(`${env.baseUrl}test/e2e/gpu/fusedParity.html`);
  await page.waitForFunction(() => (window as any).parityReady === true, undefined, { timeout: 120_000 });
  // Default depth and settings; width and batch shrunk under --quick (they change no count).
  const size = quick ? { width: 16, batchSize: 16 } : {};
  const dispatches: WebgpuFusedResult['dispatches'] = [];
  for (const [mode, o] of [['CT', { mode: 'ct' }], ['CD-Heun', { mode: 'cd', solver: 'heun' }]] as const) {
    const fused = await page.evaluate(([c]) => (window as any).profileStep(c, 2, true), [{ ...o, ...size }] as const);
    const plain = await page.evaluate(([c]) => (window as any).profileStep(c, 2, false), [{ ...o, ...size }] as const);
    dispatches.push({ mode, fused: fused.total, plain: plain.total, fusedByProgram: fused.hist });
    log(`webgpu dispatches per default 2D ${mode} step: fused ${fused.total}, plain-op path ${plain.total}`);
  }
  const steps = quick ? 3 : 20;
  const parity: WebgpuFusedResult['parity'] = [];
  for (const [name, o] of CASES) {
    const r = await page.evaluate(([c, n]) => (window as any).fusedParity(c, n), [{ ...TINY, ...o }, steps] as const);
    parity.push({ case: name, steps, lossRelErr: r.lossErr, stateRelErr: r.weightErr });
    log(`webgpu fused parity ${name} (${steps} steps): loss ${r.lossErr}, state ${r.weightErr}`);
  }
  await page.close();
  return {
    adapter: 'software adapter (SwiftShader), counts exact, no times',
    dispatches,
    parity,
    parityMaxRelErr: Math.max(...parity.map((p) => Math.max(p.lossRelErr, p.stateRelErr))),
  };
}
