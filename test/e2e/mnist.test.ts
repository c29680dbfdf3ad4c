// MNIST in the page, on software WebGPU: switching the dataset (or an ECT link) shows the shipped pretrained
// model's one-step digits at once, and the tiny U-Net trains a few steps. A default U-Net call costs about a
// second per digit here, so grids hold 4 digits (_ip=4), no trajectories (_tr=0), and batches of 2. A Load
// button whose model cannot go into the run (another mode, the tiny U-Net) is disabled with its reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { button, oneStepSamples, readStep, snapshotVersion, startHarness, stepWithButton, waitForReady, waitForStep, type Harness } from './harness';

const LIGHT = 'bs=2&_ip=4&_tr=0';
const SLOW = 240_000;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

const pretrainedStatus = (page: Page) => page.getByRole('status', { name: 'Pretrained status', exact: true });
/** The image views' Trajectories count (its label wraps the select, so the accessible name carries the value). */
const trajectoryCount = (page: Page) => page.locator('.view-options label', { hasText: 'Trajectories' }).locator('select');

const LOAD_BUTTONS = { cd: 'Load pretrained CD', ect: 'Load pretrained ECT', ct: 'Load pretrained CT (undertrained: scribbles)' } as const;

/**
 * Which Load buttons are enabled, and each disabled one's accessible description (its reason, shown under
 * the bar). Read once the run is ready: before that every button is disabled while the run builds.
 */
async function loadButtons(page: Page): Promise<Record<keyof typeof LOAD_BUTTONS, { enabled: boolean; reason: string }>> {
  const out = {} as Record<keyof typeof LOAD_BUTTONS, { enabled: boolean; reason: string }>;
  for (const [role, name] of Object.entries(LOAD_BUTTONS) as [keyof typeof LOAD_BUTTONS, string][]) {
    const b = button(page, name);
    const describedBy = await b.getAttribute('aria-describedby');
    const reason = describedBy ? (await page.locator(`[id="${describedBy}"]`).textContent()) ?? '' : '';
    out[role] = { enabled: await b.isEnabled(), reason };
  }
  return out;
}

/** Share of dark and bright pixels of a canvas (a drawn digit grid has both; a blank canvas has one). */
function canvasTones(page: Page, view: string): Promise<{ dark: number; bright: number }> {
  return page.locator(`canvas[data-view="${view}"]`).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    let bright = 0;
    for (let i = 0; i < d.length; i += 4) {
      const y = (d[i] + d[i + 1] + d[i + 2]) / 3;
      if (y < 40) dark++;
      else if (y > 200 && d[i + 3] === 255) bright++;
    }
    return { dark: dark / (d.length / 4), bright: bright / (d.length / 4) };
  });
}

/**
 * Mean |difference| of horizontally neighbouring pixels of 28x28 images: about 1 for clipped Gaussian
 * noise, small for strokes on a background. (The classifier's confidence cannot tell digits from noise:
 * it gives clipped noise 0.999.)
 */
function neighbourDifference(pixels: number[]): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < pixels.length; i++) {
    if (i % 28 === 27) continue;
    sum += Math.abs(pixels[i + 1] - pixels[i]);
    count++;
  }
  return sum / count;
}

/** Waits for the shipped `role` model, then checks its one-step grid holds digits (values and the drawn canvas). */
async function expectShippedDigits(page: Page, role: string): Promise<void> {
  await expect.poll(() => pretrainedStatus(page).textContent(), { timeout: SLOW, interval: 500 })
    .toContain(`Showing the shipped pretrained ${role} model`);
  const digits = await oneStepSamples(page);
  expect(digits.length).toBe(4 * 784);
  // Digits: mostly background at -1, bright strokes (not a blank image), smooth (not noise).
  const background = digits.filter((v) => v < -0.9).length / digits.length;
  expect(Math.min(...digits)).toBeLessThan(-0.99);
  expect(Math.max(...digits)).toBeGreaterThan(0.5);
  expect(background).toBeGreaterThan(0.5);
  expect(background).toBeLessThan(0.97);
  expect(neighbourDifference(digits)).toBeLessThan(0.35);

  // The render loop draws the grid on its next frame.
  await expect.poll(async () => (await canvasTones(page, 'digits-0')).bright).toBeGreaterThan(0.01);
  expect((await canvasTones(page, 'digits-0')).dark).toBeGreaterThan(0.2);
}

describe('MNIST mode in Chromium with software WebGPU', () => {
  it('picking mnist in the Dataset select shows the pretrained CD model\'s one-step digits', async () => {
    const page = await h.open(LIGHT);
    await waitForReady(page);
    await page.getByLabel('Dataset', { exact: true }).selectOption('mnist');
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe('unet-large'); // the best shipped CD model's
    expect(await page.getByLabel('Teacher', { exact: true }).inputValue()).toBe('pretrained');
    expect(await page.getByLabel('Batch size', { exact: true }).inputValue()).toBe('2');
    // Digits' own multistep tau (the 2D default 0.585 was untouched), named in the two-step grid's title.
    // (The control is in the settings panel and above the grids.)
    expect(await page.getByLabel('Multistep taus', { exact: true }).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['1.7', '1.7']);
    expect(await page.locator('.view-title').allTextContents()).toContain('2 steps: τ = 1.7');
    await page.getByRole('note', { name: 'Image backend note' }).getByText('the U-Net brings its own', { exact: false }).waitFor();

    await expectShippedDigits(page, 'CD');
    // In CD mode the CD model loads; ECT's (unshifted f) is disabled with its reason on show, and CT's, shipped
    // as a unet only, with its own.
    const b = await loadButtons(page);
    expect([b.cd.enabled, b.ct.enabled, b.ect.enabled]).toEqual([true, false, false]);
    expect(b.ect.reason).toContain('ECT: the shipped ECT model runs in the ECT mode');
    expect(b.ct.reason).toBe('CT: the shipped models are for the "unet" model');
    expect(b.cd.reason).toBe('');
    expect(await page.locator('.view-title').allTextContents()).toContain('Pretrained teacher\'s PF-ODE trajectory x_t, with f(x_t, t) under each frame');
    expect(await trajectoryCount(page).isDisabled()).toBe(false);
    await page.close();
  });

  it('an ECT link on mnist shows the pretrained ECT model\'s one-step digits', async () => {
    const page = await h.open(`d=mnist&m=ect&${LIGHT}`);
    await waitForReady(page);
    expect(await page.getByLabel('Teacher', { exact: true }).inputValue()).toBe('pretrained');
    await expectShippedDigits(page, 'ECT');
    const b = await loadButtons(page);
    expect([b.cd.enabled, b.ct.enabled, b.ect.enabled]).toEqual([false, false, true]);
    expect(b.cd.reason).toBe('CD: the shipped CD and CT models run in the CD and CT modes (their f is shifted: f(x, eps) = x)');
    expect(b.ct.reason).toBe('CT: the shipped models are for the "unet" model'); // the model is checked first
    await page.close();
  });

  it('CD with a learned teacher starts from scratch, says why, and its Load button still loads the shipped model', async () => {
    const page = await h.open(`d=mnist&te=learned&${LIGHT}`);
    await waitForReady(page);
    expect(await pretrainedStatus(page).textContent()).toContain('no pretrained model loaded');
    const bar = page.getByLabel('Pretrained models', { exact: true });
    await bar.getByText('with a learned teacher the teacher trains first').waitFor();
    const b = await loadButtons(page);
    expect([b.cd.enabled, b.ct.enabled, b.ect.enabled]).toEqual([true, false, false]);
    await button(page, LOAD_BUTTONS.cd).click();
    await expectShippedDigits(page, 'CD');
    // Shown now: the note about the learned teacher is gone.
    expect(await bar.getByText('with a learned teacher').count()).toBe(0);
    await page.close();
  });

  it('Model unet gets its own pretrained teacher and shipped CD model (the worker picks both by the run\'s model) and trains from them', async () => {
    const page = await h.open(`d=mnist&md=unet&${LIGHT}`);
    await waitForReady(page); // a teacher file of the wrong architecture would fail the build here, with a notice
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe('unet');
    expect(await page.getByLabel('Teacher', { exact: true }).inputValue()).toBe('pretrained');
    await expectShippedDigits(page, 'CD'); // the unet-large file would be refused as another architecture
    const b = await loadButtons(page);
    expect([b.cd.enabled, b.ct.enabled, b.ect.enabled]).toEqual([true, true, false]);
    await stepWithButton(page, 1, SLOW);
    expect(await readStep(page)).toBe(1);
    expect(await page.locator('.notice').count()).toBe(0);
    await page.close();
  });

  it('CT with the tiny U-Net from a link disables the shipped weights, naming the mismatch, and trains a few steps', async () => {
    const page = await h.open(`d=mnist&md=unet-tiny&m=ct&${LIGHT}`);
    await waitForReady(page);
    expect(await page.getByLabel('Dataset', { exact: true }).inputValue()).toBe('mnist');
    expect(await pretrainedStatus(page).textContent()).toContain('no pretrained model loaded');

    // The run is ready (Train works), yet no Load button does: the shipped weights are for the full U-Net.
    const b = await loadButtons(page);
    expect([b.cd.enabled, b.ct.enabled, b.ect.enabled]).toEqual([false, false, false]);
    for (const role of ['cd', 'ect'] as const) expect(b[role].reason).toBe('CD, ECT: the shipped models are for the "unet-large" or "unet" model');
    expect(b.ct.reason).toBe('CT: the shipped models are for the "unet" model');
    // CT has no teacher and digits no exact ODE: the strip says so, and its Trajectories count is disabled.
    expect(await page.locator('.view-title').allTextContents()).toContain('PF-ODE trajectory x_t: none (CT has no teacher on MNIST)');
    const count = trajectoryCount(page);
    expect(await count.isDisabled()).toBe(true);
    expect(await count.getAttribute('title')).toBe('CT has no teacher on MNIST: there are no trajectories to draw');
    // A caller that goes around the buttons still gets the worker's named refusal, and the run is unchanged.
    await page.evaluate(`import('/src/state/session.ts').then((m) => m.session().loadPretrained('cd'))`);
    const refusal = page.locator('.notice', { hasText: 'The pretrained CD model could not be loaded' });
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.textContent()).toContain('different model');

    const v0 = await snapshotVersion(page);
    await button(page, 'Step').click();
    expect(await waitForStep(page, 1, SLOW)).toBe(1);
    await page.waitForFunction(() => {
      const b = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Step');
      return !!b && !b.disabled;
    }, undefined, { timeout: SLOW });
    await button(page, 'Step').click();
    expect(await waitForStep(page, 2, SLOW)).toBe(2);
    await expect.poll(() => snapshotVersion(page), { timeout: SLOW }).toBeGreaterThan(v0);
    expect(await readStep(page)).toBe(2);
    await page.close();
  });
});
