// "Export run" / "Import run" in Chromium: the bundle carries the settings, so importing it into a page with
// other settings brings the run back (same step, same samples); a bundle trained further by
// scripts/torch/continue.py (when /usr/bin/python3 has torch, as in CI) comes back at its new step.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/core/io/safetensors';
import { button, oneStepSamples, snapshotVersion, startHarness, stepCount, stepWithButton, TINY, waitForReady, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const maxAbsDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { timeout: 60_000 }).status === 0;

describe('Export run / Import run', () => {
  it('a run exported from one page imports into a page with other settings: its settings, step and samples come back', async () => {
    const page = await h.open(`m=ct&${TINY}`);
    await waitForReady(page);
    await stepWithButton(page, 2);
    const trained = await oneStepSamples(page);
    const t0 = Date.now();
    const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Export run').click()]);
    const exportMs = Date.now() - t0;
    expect(download.suggestedFilename()).toMatch(/^run-ct-moons-step2\.safetensors$/);
    const bytes = await readFile(await download.path());
    const { tensors, metadata } = readSafetensors(new Uint8Array(bytes));
    expect(metadata).toMatchObject({ format: 'cm-playground/run@2', method: 'ct', step: '2', nextStep: '2' });
    expect(tensors.get('next/x0')!.shape).toEqual([32, 2]);
    await page.close();

    // Another page, other settings (CD, default width): Import run replaces them with the bundle's.
    const other = await h.open('_p=64&_tr=4');
    await waitForReady(other);
    const v = await snapshotVersion(other);
    const t1 = Date.now();
    await other.getByLabel('Import run', { exact: true }).setInputFiles({ name: 'run.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
    await expect.poll(() => stepCount(other).textContent(), { timeout: 120_000 }).toBe('2');
    await other.waitForFunction((after) => (window as unknown as { __playground: { snapshotVersion(): number } }).__playground.snapshotVersion() > after, v, { timeout: 120_000 });
    console.log(`Export run took ${exportMs} ms (${bytes.length} bytes); Import run to the restored samples ${Date.now() - t1} ms`);
    expect(other.url()).toContain('m=ct');
    expect(maxAbsDiff(trained, await oneStepSamples(other))).toBeLessThan(1e-6);

    if (!hasTorch) {
      console.warn('SKIPPED the continue.py half of test/e2e/runBundle.test.ts: /usr/bin/python3 has no torch');
      await other.close();
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'cm-e2e-bundle-'));
    writeFileSync(join(dir, 'in.safetensors'), bytes);
    const py = spawnSync('/usr/bin/python3', ['scripts/torch/continue.py', '--bundle', join(dir, 'in.safetensors'), '--out', join(dir, 'out.safetensors'), '--steps', '3', '--threads', '1'],
      { encoding: 'utf8', timeout: 120_000 });
    expect(py.status, py.stderr).toBe(0);
    await other.getByLabel('Import run', { exact: true }).setInputFiles({ name: 'continued.safetensors', mimeType: 'application/octet-stream', buffer: readFileSync(join(dir, 'out.safetensors')) });
    await expect.poll(() => stepCount(other).textContent(), { timeout: 120_000 }).toBe('5');
    expect(maxAbsDiff(trained, await oneStepSamples(other))).toBeGreaterThan(1e-6);
    await other.close();
  });

  it('a file that is not a run changes nothing and says why', async () => {
    const page = await h.open(`m=ct&${TINY}`);
    await waitForReady(page);
    await page.getByLabel('Import run', { exact: true }).setInputFiles({ name: 'notes.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('not a bundle at all') });
    await expect.poll(() => page.getByText(/Could not import the run notes\.safetensors/).count()).toBeGreaterThan(0);
    await expect(page.getByText('Nothing was changed.').count()).resolves.toBeGreaterThan(0);
    expect(page.url()).toContain('m=ct');
    await page.close();
  });
});
