// The user's wait, measured in the page as a visitor meets it (issue "seconds to a good sample"): open the
// playground, press Train as soon as the button takes it, and time (a) page load -> first step, (b) Train ->
// first step, (c) Train -> one-step SWD <= 1.5x the teacher ODE's SWD, read from the page's own
// "One-step SWD" status and quality series. Also which backend `auto` chose and the reason it gives.
import type { Page } from 'playwright-core';
import type { BenchBrowser } from '../lib/browser';
import { log } from '../lib/log';
import { round } from '../lib/stats';
import { QUALITY_FACTOR } from './learning';

export interface HeadlineRun {
  label: string;
  query: string;
  backend: string | null;
  backendReason: string | null;
  /** Navigation start -> the step counter first shows a step (Train pressed as soon as it is enabled). */
  pageLoadToFirstStepSeconds: number | null;
  trainClickSeconds: number | null;
  trainToFirstStepSeconds: number | null;
  /** Page load -> the shipped pretrained digits shown (MNIST only; the page's own mark). */
  pageLoadToPretrainedSeconds: number | null;
  /** Train -> the first quality report with one-step SWD <= factor x the teacher's; null if not within the limit. */
  secondsToQuality: number | null;
  stepsAtQuality: number | null;
  lastSwd1: number | null;
  swdTeacher: number | null;
  limitSeconds: number;
  status: 'ok' | 'error';
  note?: string;
}

// Before the page's scripts: step-counter changes and Train clicks, in the page's own clock.
const PROBE = `(() => {
  const b = (window.__headline = { steps: [], clicks: [] });
  let last = null;
  const poll = () => {
    const el = document.querySelector('[aria-label="Step count"]');
    const s = el ? el.textContent : null;
    if (s !== last) { b.steps.push([performance.now(), Number(s)]); last = s; }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
  document.addEventListener('click', (ev) => {
    const t = ev.target && ev.target.closest ? ev.target.closest('button') : null;
    if (t) b.clicks.push([performance.now(), t.textContent]);
  }, true);
})();`;

interface Probe { steps: [number, number][]; clicks: [number, string][] }
interface Quality { step: number; swd1: number; swdTeacher: number | null }

const readProbe = (page: Page) => page.evaluate(() => (window as unknown as { __headline: Probe }).__headline);
const readQuality = (page: Page) => page.evaluate(() =>
  (window as unknown as { __playground?: { latestQuality?: () => Quality | null } }).__playground?.latestQuality?.() ?? null);

async function measure(env: BenchBrowser, label: string, query: string, limitSeconds: number, quality: boolean): Promise<HeadlineRun> {
  const page = await env.context.newPage();
  await page.addInitScript(PROBE);
  const run: HeadlineRun = {
    label, query, backend: null, backendReason: null, pageLoadToFirstStepSeconds: null, trainClickSeconds: null, trainToFirstStepSeconds: null, pageLoadToPretrainedSeconds: null,
    secondsToQuality: null, stepsAtQuality: null, lastSwd1: null, swdTeacher: null, limitSeconds, status: 'ok',
  };
  try {
    await page.goto(`${env.baseUrl}?${query}`);
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await train.click({ timeout: 120_000 }); // waits until it is enabled
    const deadline = Date.now() + limitSeconds * 1000;
    let probe = await readProbe(page);
    const tClick = probe.clicks.find((c) => c[1] === 'Train')?.[0] ?? Number.NaN;
    run.trainClickSeconds = round(tClick / 1000, 2);
    while (Date.now() < deadline) {
      probe = await readProbe(page);
      const first = probe.steps.find(([t, s]) => t >= tClick && s > 0);
      if (first) {
        run.pageLoadToFirstStepSeconds = round(first[0] / 1000, 2);
        run.trainToFirstStepSeconds = round((first[0] - tClick) / 1000, 2);
        break;
      }
      await page.waitForTimeout(100);
    }
    while (quality && Date.now() < deadline) {
      const q = await readQuality(page);
      if (q) {
        run.lastSwd1 = round(q.swd1, 4);
        run.swdTeacher = q.swdTeacher === null ? null : round(q.swdTeacher, 4);
        if (q.swdTeacher !== null && q.swd1 <= QUALITY_FACTOR * q.swdTeacher) {
          const now = await page.evaluate(() => performance.now());
          run.secondsToQuality = round((now - tClick) / 1000, 1);
          run.stepsAtQuality = q.step;
          break;
        }
      }
      await page.waitForTimeout(250);
    }
    run.backend = await page.getByRole('status', { name: 'Active backend', exact: true }).textContent();
    const marks = await page.evaluate(() => (window as unknown as { __cmTimings?: { backendReason: string | null; pageLoadToPretrainedMs: number | null } }).__cmTimings ?? null);
    run.backendReason = marks?.backendReason ?? null;
    run.pageLoadToPretrainedSeconds = marks?.pageLoadToPretrainedMs == null ? null : round(marks.pageLoadToPretrainedMs / 1000, 2);
  } catch (e) {
    run.status = 'error';
    run.note = (e as Error).message.split('\n')[0];
  } finally {
    await page.close();
  }
  return run;
}

export async function headlineSection(env: BenchBrowser, quick: boolean): Promise<HeadlineRun[]> {
  // The goals read the defaults (seed 1, what a visitor gets); seeds 2 and 3 show how much that depends on luck.
  const limit = quick ? 60 : 120;
  const runs: [string, string, number, boolean][] = [
    ['auto, moons, CD (defaults)', 'v=2', limit, true],
    ['auto, moons, CT', 'v=2&m=ct', limit, true],
    ['wasm, moons, CD', 'v=2&b=wasm', 30, false],
    ...[2, 3].flatMap((seed): [string, string, number, boolean][] => [
      [`auto, moons, CD, seed ${seed}`, `v=2&se=${seed}`, limit, true],
      [`auto, moons, CT, seed ${seed}`, `v=2&m=ct&se=${seed}`, limit, true],
    ]),
  ];
  if (!quick) runs.push(['webgpu, moons, CD', 'v=2&b=webgpu', 120, false], ['auto, MNIST', 'v=3&d=mnist', 60, false]);
  const out: HeadlineRun[] = [];
  for (const [label, query, limit, quality] of runs) {
    const r = await measure(env, label, query, limit, quality);
    log(`headline ${label} (${r.backend}): ${r.status === 'ok'
      ? `load->first step ${r.pageLoadToFirstStepSeconds} s, Train->first step ${r.trainToFirstStepSeconds} s${r.pageLoadToPretrainedSeconds !== null ? `, load->pretrained digits ${r.pageLoadToPretrainedSeconds} s` : ''}${quality ? `, Train->quality ${r.secondsToQuality ?? `not within ${limit} s`} s (one-step SWD ${r.lastSwd1}, teacher ${r.swdTeacher})` : ''}`
      : r.note}`);
    out.push(r);
  }
  return out;
}
