// Responsiveness of the playground page (index.html) while it trains: main-thread long tasks (over 50 ms,
// PerformanceObserver), frame rate (requestAnimationFrame), how often the sample view gets a new snapshot,
// and the delay between pressing Pause and the step counter stopping.
import type { Page } from 'playwright-core';
import type { BenchBrowser } from '../lib/browser';
import { log } from '../lib/log';
import { round } from '../lib/stats';

export interface PageRun {
  query: string;
  backend: string | null;
  trainSeconds: number;
  stepsDone: number;
  longTasks: number;
  longTaskMaxMs: number;
  longTaskTotalMs: number;
  framesPerSecond: number;
  frameGapP95Ms: number;
  frameGapMaxMs: number;
  snapshotsPerSecond: number;
  /** Last step-counter change after the Pause click (0 when it did not move after the click). */
  pauseToCounterStopMs: number;
  /** Pause click until the button reads "Train" again. */
  pauseToButtonMs: number;
  stepsAfterPause: number;
  status: 'ok' | 'error';
  note?: string;
}

// Installed before the page's own scripts: records long tasks, frames, step-counter changes and clicks.
const PROBE = `(() => {
  const b = (window.__bench = { longTasks: [], frames: [], steps: [], snaps: [], clicks: [], buttons: [] });
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) b.longTasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  } catch (e) { b.noLongTaskApi = String(e); }
  let lastStep = null, lastSnap = null, lastButton = null;
  const frame = (t) => {
    b.frames.push(t);
    const now = performance.now(); // DOM observations are compared with click times, so not the frame's start time
    const el = document.querySelector('[aria-label="Step count"]');
    const s = el ? el.textContent : null;
    if (s !== lastStep) { b.steps.push([now, Number(s)]); lastStep = s; }
    const v = window.__playground ? window.__playground.snapshotVersion() : -1;
    if (v !== lastSnap) { b.snaps.push([now, v]); lastSnap = v; }
    const btn = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Train' || x.textContent === 'Pause');
    const label = btn ? btn.textContent : null;
    if (label !== lastButton) { b.buttons.push([now, label]); lastButton = label; }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  document.addEventListener('click', (ev) => {
    const t = ev.target && ev.target.closest ? ev.target.closest('button') : null;
    if (t) b.clicks.push([performance.now(), t.textContent]);
  }, true);
})();`;

async function waitForTrainEnabled(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(() => {
    const btn = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Train');
    return !!btn && !(btn as HTMLButtonElement).disabled;
  }, undefined, { timeout });
}

async function measure(env: BenchBrowser, query: string, trainSeconds: number): Promise<PageRun> {
  const page = await env.context.newPage();
  await page.addInitScript(PROBE);
  const base = { query, backend: null as string | null, trainSeconds };
  try {
    await page.goto(`${env.baseUrl}?${query}`);
    await waitForTrainEnabled(page, 180_000);
    base.backend = await page.getByRole('status', { name: 'Active backend', exact: true }).textContent();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(trainSeconds * 1000);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Train', exact: true }).waitFor({ timeout: 120_000 });
    await page.waitForTimeout(2000); // the counter must stay put from here on
    const raw = await page.evaluate(() => {
      const b = (window as any).__bench;
      return { longTasks: b.longTasks, frames: b.frames, steps: b.steps, snaps: b.snaps, clicks: b.clicks, buttons: b.buttons };
    }) as { longTasks: [number, number][]; frames: number[]; steps: [number, number][]; snaps: [number, number][]; clicks: [number, string][]; buttons: [number, string][] };
    const tTrain = raw.clicks.find((c) => c[1] === 'Train')![0];
    const tPause = raw.clicks.find((c) => c[1] === 'Pause')![0];
    const inWindow = (t: number) => t >= tTrain && t <= tPause;
    const tasks = raw.longTasks.filter(([t]) => inWindow(t));
    const frames = raw.frames.filter(inWindow);
    const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
    const seconds = (tPause - tTrain) / 1000;
    const stepAtPause = [...raw.steps].reverse().find(([t]) => t <= tPause)?.[1] ?? 0;
    const after = raw.steps.filter(([t]) => t > tPause);
    const lastAfter = after.length ? after[after.length - 1] : null;
    const buttonBack = raw.buttons.find(([t, l]) => t > tPause && l === 'Train');
    return {
      ...base, status: 'ok',
      stepsDone: lastAfter ? lastAfter[1] : stepAtPause,
      longTasks: tasks.length,
      longTaskMaxMs: round(Math.max(0, ...tasks.map(([, d]) => d)), 1),
      longTaskTotalMs: round(tasks.reduce((a, [, d]) => a + d, 0), 1),
      framesPerSecond: round(frames.length / seconds, 1),
      frameGapP95Ms: round(gaps[Math.floor(gaps.length * 0.95)] ?? Number.NaN, 1),
      frameGapMaxMs: round(gaps[gaps.length - 1] ?? Number.NaN, 1),
      snapshotsPerSecond: round(raw.snaps.filter(([t]) => inWindow(t)).length / seconds, 2),
      pauseToCounterStopMs: lastAfter ? round(lastAfter[0] - tPause, 1) : 0,
      pauseToButtonMs: buttonBack ? round(buttonBack[0] - tPause, 1) : Number.NaN,
      stepsAfterPause: lastAfter ? lastAfter[1] - stepAtPause : 0,
    };
  } catch (e) {
    return { ...base, status: 'error', note: (e as Error).message.split('\n')[0], stepsDone: 0, longTasks: 0, longTaskMaxMs: 0, longTaskTotalMs: 0,
      framesPerSecond: 0, frameGapP95Ms: 0, frameGapMaxMs: 0, snapshotsPerSecond: 0, pauseToCounterStopMs: 0, pauseToButtonMs: 0, stepsAfterPause: 0 };
  } finally {
    await page.close();
  }
}

export async function pageSection(env: BenchBrowser, quick: boolean): Promise<PageRun[]> {
  // wasm is the fastest backend for the 2D MLP here; "auto" is what a visitor gets (software WebGPU here).
  const runs = quick ? [['v=2&m=ct&b=wasm', 8]] : [['v=2&m=ct&b=wasm', 15], ['v=2&m=ct', 20]];
  const out: PageRun[] = [];
  for (const [query, seconds] of runs as [string, number][]) {
    const r = await measure(env, query, seconds);
    log(`page ${query} (${r.backend}): ${r.status === 'ok'
      ? `${r.stepsDone} steps, ${r.longTasks} long tasks (max ${r.longTaskMaxMs} ms), ${r.framesPerSecond} fps, ${r.snapshotsPerSecond} snapshots/s, pause->counter stop ${r.pauseToCounterStopMs} ms`
      : r.note}`);
    out.push(r);
  }
  return out;
}
