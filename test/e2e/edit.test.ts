// Zero-shot editing in the page (Chromium, software WebGPU), driven with the mouse: paint an inpainting
// mask over a digit and get completions; drag a line over 2D data and get samples on it. The tiny U-Net
// is untrained, so its completions are not digits; what is checked is the projection of Algorithm 4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { button, drag, startHarness, TINY, waitForReady, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

interface ReplyView {
  task: string;
  batch: number;
  times: number[];
  reference: number[] | null;
  result: number[];
  iterates: number;
}

/** The edit store's last reply and error, as plain numbers (read through the page's test hook). */
async function editState(page: Page): Promise<{ busy: boolean; error: string | null; mask: number[]; reply: ReplyView | null; constraint: unknown }> {
  return page.evaluate(() => {
    type S = {
      busy: boolean; error: string | null; mask: Uint8Array; plane: { constraint: unknown };
      reply: { task: string; batch: number; times: number[]; reference: Float32Array | null; result: Float32Array; iterates: Float32Array[] } | null;
    };
    const s = (window as unknown as { __edit: { state(): S } }).__edit.state();
    const r = s.reply;
    return {
      busy: s.busy, error: s.error, mask: Array.from(s.mask), constraint: s.plane.constraint,
      reply: r && { task: r.task, batch: r.batch, times: r.times, reference: r.reference && Array.from(r.reference), result: Array.from(r.result), iterates: r.iterates.length },
    };
  });
}

async function waitForEdit(page: Page, task: string, timeout = 90_000): Promise<void> {
  await page.waitForFunction((t) => {
    const s = (window as unknown as { __edit: { state(): { busy: boolean; reply: { task: string } | null; error: string | null } } }).__edit.state();
    return !s.busy && (s.error !== null || s.reply?.task === t);
  }, task, { timeout, polling: 100 });
}

describe('zero-shot editing in the page', () => {
  it('inpaints a painted region of a digit: kept pixels equal the reference, completions differ by seed', async () => {
    const page = await h.open('d=mnist&md=unet-tiny&m=ct&bs=2&_p=16&_tr=0');
    await waitForReady(page, 150_000);
    const panel = page.getByRole('region', { name: 'Zero-shot editing' });
    await panel.scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByLabel('Reference label').count(), { timeout: 30_000 }).toBe(1);

    // Start from an empty mask and paint a band across the middle of the digit.
    await button(page, 'Clear mask').click();
    await drag(page, 'canvas[aria-label="Inpainting mask"]', [0.1, 0.45], [0.9, 0.55]);
    const painted = (await editState(page)).mask;
    const regenerate = painted.filter((v) => v === 1).length;
    expect(regenerate).toBeGreaterThan(40);
    expect(regenerate).toBeLessThan(400);

    await page.getByLabel('Seeds', { exact: true }).fill('3');
    await page.getByLabel('Steps', { exact: true }).fill('2');
    await button(page, 'Run edit').click();
    await waitForEdit(page, 'inpaint');
    const s = await editState(page);
    expect(s.error).toBeNull();
    const r = s.reply!;
    expect(r.batch).toBe(3);
    expect(r.iterates).toBe(2);
    expect(r.times.length).toBe(2);
    expect(r.times[0]).toBe(80); // t_1 = T by default
    const y = r.reference!;
    const dim = y.length;
    expect(dim).toBe(784);
    let keptError = 0;
    const completions = [0, 1, 2].map((b) => r.result.slice(b * dim, (b + 1) * dim));
    for (const c of completions) for (let i = 0; i < dim; i++) if (painted[i] === 0) keptError = Math.max(keptError, Math.abs(c[i] - y[i]));
    expect(keptError).toBeLessThan(1e-6);
    // Different seeds give different completions inside the painted region.
    const inside = (c: number[]) => c.filter((_, i) => painted[i] === 1);
    const diff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
    expect(diff(inside(completions[0]), inside(completions[1]))).toBeGreaterThan(1e-3);
    expect(diff(inside(completions[1]), inside(completions[2]))).toBeGreaterThan(1e-3);
    await expect.poll(() => page.getByLabel('Edit times').textContent()).toContain('80.0');
    await page.getByRole('img', { name: 'Edit steps' }).waitFor();
    await panel.screenshot({ path: '/tmp/edit-panel-mnist.png' }).catch(() => undefined);

    // Bad input gets the worker's message: an empty mask, then t_1 above T.
    await button(page, 'Clear mask').click();
    await button(page, 'Run edit').click();
    await expect.poll(() => page.getByRole('alert', { name: 'Edit error' }).textContent(), { timeout: 30_000 }).toContain('the mask is empty');
    await button(page, 'Top half').click();
    await page.getByLabel('t1', { exact: true }).fill('500');
    await button(page, 'Run edit').click();
    await expect.poll(() => page.getByRole('alert', { name: 'Edit error' }).textContent(), { timeout: 30_000 }).toContain('outside [eps, T]');
    await page.getByLabel('t1', { exact: true }).fill('');

    // Super-resolution from 4x4 block means: every completion keeps the reference's block means.
    await page.getByLabel('Edit task', { exact: true }).selectOption('superres');
    await button(page, 'Run edit').click();
    await waitForEdit(page, 'superres');
    const sr = (await editState(page)).reply!;
    const means = (img: number[]) => Array.from({ length: 49 }, (_, k) => {
      let m = 0;
      for (let j = 0; j < 16; j++) m += img[(Math.floor(k / 7) * 4 + Math.floor(j / 4)) * 28 + (k % 7) * 4 + (j % 4)] / 16;
      return m;
    });
    const want = means(sr.reference!);
    for (let b = 0; b < sr.batch; b++) {
      const got = means(sr.result.slice(b * 784, (b + 1) * 784));
      expect(Math.max(...got.map((v, k) => Math.abs(v - want[k])))).toBeLessThan(1e-5);
    }

    // Denoising is one call at t = sigma; interpolation one row of 9 along the slerp path.
    await page.getByLabel('Edit task', { exact: true }).selectOption('denoise');
    await page.getByLabel('Noise sigma', { exact: true }).fill('0.8');
    await button(page, 'Run edit').click();
    await waitForEdit(page, 'denoise');
    expect((await editState(page)).reply).toMatchObject({ times: [0.8], batch: 3, iterates: 1 });
    await page.getByLabel('Edit task', { exact: true }).selectOption('interpolate');
    await button(page, 'Run edit').click();
    await waitForEdit(page, 'interpolate');
    expect((await editState(page)).reply).toMatchObject({ times: [80], batch: 9 });

    // Stroke guidance starts from the drawing at t_1 = 4.
    await page.getByLabel('Edit task', { exact: true }).selectOption('stroke');
    await drag(page, 'canvas[aria-label="Stroke drawing"]', [0.5, 0.15], [0.5, 0.85]);
    await button(page, 'Run edit').click();
    await waitForEdit(page, 'stroke');
    const st = await editState(page);
    expect(st.error).toBeNull();
    expect(st.reply!.times[0]).toBe(4);
    expect(st.reply!.iterates).toBe(2);
    await panel.screenshot({ path: '/tmp/edit-panel-stroke.png' }).catch(() => undefined);
    await page.close();
  }, 240_000);

  it('2D: dragging a line gives samples that keep the dragged projection', async () => {
    const page = await h.open(TINY);
    await waitForReady(page);
    const canvas = 'canvas[aria-label="Conditional sampling canvas: drag a line"]';
    await page.locator(canvas).scrollIntoViewIfNeeded();
    await page.getByLabel('Samples', { exact: true }).fill('200');
    await drag(page, canvas, [0.2, 0.8], [0.8, 0.3]);
    await waitForEdit(page, 'line2d');
    const s = await editState(page);
    expect(s.error).toBeNull();
    const c = s.constraint as { kind: string; angle: number; value: number };
    expect(c.kind).toBe('line');
    // Dragging up and to the right on screen: the line rises, so its normal points up-left.
    expect(Math.cos(c.angle)).toBeLessThan(0);
    expect(Math.sin(c.angle)).toBeGreaterThan(0);
    const pts = s.reply!.result;
    expect(pts.length).toBe(400);
    let worst = 0;
    let spread = 0;
    const along: number[] = [];
    for (let i = 0; i < 200; i++) {
      const [x, yv] = [pts[2 * i], pts[2 * i + 1]];
      worst = Math.max(worst, Math.abs(Math.cos(c.angle) * x + Math.sin(c.angle) * yv - c.value));
      along.push(-Math.sin(c.angle) * x + Math.cos(c.angle) * yv);
    }
    spread = Math.max(...along) - Math.min(...along);
    expect(worst).toBeLessThan(1e-4);
    expect(spread).toBeGreaterThan(1e-3); // samples spread along the line, not one point
    await expect.poll(() => page.getByLabel('Constraint kept').textContent()).toContain('largest violation');
    await page.getByRole('region', { name: 'Zero-shot editing' }).screenshot({ path: '/tmp/edit-panel-2d.png' }).catch(() => undefined);

    // Fixing x instead: every sample has the chosen x.
    await page.getByLabel('Constraint', { exact: true }).selectOption('fix-x');
    await drag(page, canvas, [0.6, 0.2], [0.6, 0.8]);
    await waitForEdit(page, 'fix2d');
    const f = await editState(page);
    const k = f.constraint as { kind: string; axis: number; value: number };
    expect(k).toMatchObject({ kind: 'fix', axis: 0 });
    const xs = f.reply!.result.filter((_, i) => i % 2 === 0);
    expect(Math.max(...xs.map((x) => Math.abs(x - k.value)))).toBeLessThan(1e-5);
    await page.close();
  }, 180_000);
});
