// The teaching tools that change how a run is driven: one real step taken apart (Anatomy of a step),
// stop rules and Rewind, and Compare mode with its shareable link. One browser and dev server for the
// file; each test opens its own page. Tiny models on WASM (steps take milliseconds).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { button, readStep, startHarness, TINY, waitForReady, waitForStep, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  // The guided tour is offered on a first visit; these tests are about other things.
  await h.context.addInitScript(() => localStorage.setItem('cm:tour-seen', '1'));
});

afterAll(async () => {
  await h?.close();
});

/**
 * Evaluates `body` in the page with `m`, the app's own instance of a source module (the dev server serves
 * it at one URL). Passed as text: the test runner would rewrite a dynamic import in a function.
 */
function inModule<T>(page: Page, path: string, body: string): Promise<T> {
  return page.evaluate(`import('${path}').then((m) => { ${body} })`) as Promise<T>;
}

/** Loss values by step from the page's run store. */
const lossesByStep = (page: Page) => inModule<Record<number, number>>(page, '/src/state/runStore.ts', `
  const s = m.useRun.getState().loss;
  const out = {};
  for (let i = 0; i < s.length; i++) out[s.xs[i]] = s.ys[i];
  return out;`);

/** Each compare run's losses, in step order. */
const compareLosses = (page: Page) => inModule<number[][]>(page, '/src/state/compare/compareStore.ts',
  'return m.useCompare.getState().runs.map((r) => Array.from(r.loss.ys.slice(0, r.loss.length)));');

const stageTitle = (page: Page) => page.locator('.anatomy-stage').textContent();

describe('teaching tools', () => {
  it('Anatomy of a step walks the next real CD step stage by stage; its loss is the one the run then takes', async () => {
    const page = await h.open(`v=2&b=wasm&so=heun&${TINY}`);
    await waitForReady(page);
    await button(page, 'Anatomy of a step').click();
    const panel = page.getByRole('region', { name: 'Anatomy of a step' });
    await expect.poll(() => stageTitle(page), { timeout: 60_000 }).toContain('Stage 1 of 8: Data x_0');
    const titles: string[] = [];
    for (let i = 0; i < 7; i++) {
      await panel.getByRole('button', { name: 'Next', exact: true }).click();
      titles.push((await stageTitle(page)) ?? '');
      if (i === 2) expect(await panel.getByRole('columnheader', { name: "x'" }).count()).toBe(1); // the Heun midpoint
    }
    expect(titles[2]).toContain("Stage 4 of 8: The teacher's Heun step");
    expect(titles[6]).toContain('Stage 8 of 8: The optimiser step');
    expect(await panel.getByRole('button', { name: 'Next', exact: true }).isDisabled()).toBe(true);
    await panel.getByRole('button', { name: 'Back', exact: true }).click();
    await panel.getByRole('button', { name: 'Back', exact: true }).click();
    await panel.getByRole('button', { name: 'Next', exact: true }).click();
    expect(await stageTitle(page)).toContain('Stage 7 of 8: The distance d');
    const shown = await inModule<{ loss: number; step: number }>(page, '/src/state/teach/anatomy.ts',
      'const r = m.useAnatomy.getState().result; return { loss: r.loss, step: r.step };');
    expect(shown.step).toBe(0);
    expect(Number(await panel.getByRole('status', { name: 'Step loss' }).or(panel.getByLabel('Step loss')).first().textContent())).toBeCloseTo(shown.loss, 3);
    // Looking changed nothing: the run is at step 0, and its real next step has exactly the loss shown.
    expect(await readStep(page)).toBe(0);
    await button(page, 'Step').click();
    await waitForStep(page, 1);
    await expect.poll(async () => (await lossesByStep(page))[1]).toBe(shown.loss);
    // A click on a data point follows it: it becomes x_0 of the first row.
    await panel.getByRole('button', { name: 'Take the next step apart' }).click();
    await expect.poll(() => stageTitle(page)).toContain('Stage 1 of 8');
    await panel.getByRole('button', { name: 'Pick 3 data points' }).click();
    await expect.poll(() => panel.getByRole('rowheader', { name: 'pick 1' }).count()).toBe(1);
    // Apply keeps exactly the step shown.
    const picked = await inModule<number>(page, '/src/state/teach/anatomy.ts', 'return m.useAnatomy.getState().result.loss;');
    await panel.getByRole('button', { name: 'Apply this step' }).click();
    await waitForStep(page, 2);
    await expect.poll(async () => (await lossesByStep(page))[2]).toBe(picked);
    await page.close();
  });

  it('Stop at a target quality and at a step pause there and say why; Rewind returns to an earlier checkpoint, cuts the curves, and training repeats the same steps', async () => {
    const page = await h.open(`v=2&b=wasm&ev=10&${TINY}`);
    await waitForReady(page);
    // A target quality any model meets: training pauses at the first evaluation, and says so.
    const stopSwd = page.getByLabel('Stop at one-step SWD ≤');
    await stopSwd.fill('1000');
    await stopSwd.press('Enter');
    await button(page, 'Train').click();
    await expect.poll(() => page.getByText(/stopped at step 10: one-step SWD [\d.]+ reached the target 1000/).count(), { timeout: 240_000 }).toBeGreaterThan(0);
    await expect.poll(() => button(page, 'Train').count()).toBe(1);
    expect(await readStep(page)).toBe(10);
    await stopSwd.fill('');
    await stopSwd.press('Enter');
    const stopAt = page.getByLabel('Stop at step');
    await stopAt.fill('60');
    await stopAt.press('Enter');
    await button(page, 'Train').click();
    await expect.poll(() => button(page, 'Train').count(), { timeout: 120_000 }).toBe(1);
    expect(await readStep(page)).toBe(60);
    await expect.poll(() => page.getByText('stopped at step 60, as set').count()).toBeGreaterThan(0);
    const before = await lossesByStep(page);
    expect(Object.keys(before).length).toBe(60);
    // A bad value is refused where it was typed and changes nothing.
    await stopAt.fill('-3');
    await stopAt.press('Enter');
    expect(await stopAt.getAttribute('aria-invalid')).toBe('true');

    const select = page.getByLabel('Rewind to');
    const options = await select.locator('option').evaluateAll((os) => os.map((o) => Number((o as HTMLOptionElement).value)));
    expect(options[0]).toBe(0); // the initialisation is always there
    const target = options.filter((s) => s > 0 && s < 60).pop() ?? 0;
    await select.selectOption(String(target));
    await button(page, 'Rewind').click();
    await expect.poll(() => readStep(page)).toBe(target);
    const cut = await lossesByStep(page);
    expect(Math.max(0, ...Object.keys(cut).map(Number))).toBe(target);
    // The same initialisation and random streams: training on to the stop step gives the same losses.
    await button(page, 'Train').click();
    await expect.poll(() => readStep(page), { timeout: 120_000 }).toBe(60);
    await expect.poll(() => button(page, 'Train').count()).toBe(1);
    const after = await lossesByStep(page);
    for (const s of [target + 1, 45, 60]) expect(after[s], `loss at step ${s}`).toBe(before[s]);
    await page.close();
  });

  it('Compare: Euler vs Heun trains two runs in lockstep to the same budget; a comparison link reproduces one step vs multistep', async () => {
    // One evaluation per run, at the end: the first one also measures the teacher ODE's SWD, which takes long here.
    const page = await h.open(`v=2&b=wasm&st=40&ev=40&${TINY}`);
    await waitForReady(page);
    await button(page, 'Compare').click();
    const a = page.getByRole('region', { name: 'Run A' });
    const b = page.getByRole('region', { name: 'Run B' });
    await expect.poll(() => a.textContent(), { timeout: 60_000 }).toContain('ODE solver = Euler');
    expect(await b.textContent()).toContain('ODE solver = Heun');
    expect(await page.getByRole('button', { name: 'Euler vs Heun' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByRole('button', { name: 'Train all' }).isEnabled(), { timeout: 120_000 }).toBe(true);
    await page.getByRole('button', { name: 'Train all' }).click();
    const runStep = (r: string) => page.getByLabel(`Run ${r} step`).textContent().then(Number);
    await expect.poll(() => runStep('A'), { timeout: 120_000 }).toBe(40);
    await expect.poll(() => runStep('B'), { timeout: 120_000 }).toBe(40);
    await expect.poll(() => page.getByLabel('Run A quality').textContent(), { timeout: 240_000 }).not.toBe('–');
    const first = await compareLosses(page);
    expect(first[0].length).toBe(40);
    expect(first[1].length).toBe(40);
    expect(first[0][0]).not.toBe(first[1][0]); // same draws and weights, different teacher step

    // The one-step vs multistep preset, shared by link: the same training twice, so the losses coincide.
    await page.getByRole('button', { name: 'One step vs multistep' }).click();
    await expect.poll(() => b.textContent(), { timeout: 60_000 }).toContain('multistep samples');
    const link = await page.evaluate(() => location.href);
    expect(link).toContain('_cmp=sampler');
    await page.close(); // its two workers would share the cores with the next page's
    const shared = await h.open(link.slice(h.baseUrl.length + 1));
    const sa = shared.getByRole('region', { name: 'Run A' });
    await expect.poll(() => sa.textContent(), { timeout: 60_000 }).toContain('one-step samples');
    expect(await shared.getByRole('button', { name: 'One step vs multistep' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => shared.getByRole('button', { name: 'Train all' }).isEnabled(), { timeout: 120_000 }).toBe(true);
    await shared.getByRole('button', { name: 'Train all' }).click();
    await expect.poll(() => shared.getByLabel('Run B step').textContent().then(Number), { timeout: 120_000 }).toBe(40);
    const losses = await compareLosses(shared);
    expect(losses[0].length).toBe(40);
    expect(losses[1]).toEqual(losses[0]);
    await shared.close();
  });
});
