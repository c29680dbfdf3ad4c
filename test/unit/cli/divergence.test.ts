// The CLI after a diverging update, run as a user would (a child process): exit code 3, a message naming the
// step, and a run file holding the last known-good state. The divergence is forced by the test hook
// CM_DEBUG_DIVERGE_AT_STEP (that update uses a learning rate of 1e30): the learning rate the settings allow
// (at most 1) never makes Adam overflow within a test's time.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingSession } from '../../../src/core/run/session';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TINY = ['--width', '16', '--depth', '2', '--time-features', '8', '--batch-size', '32', '--eval-count', '20', '--count', '10', '--quiet', '--backend', 'cpu'];

function cm(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cm.ts', ...args], { encoding: 'utf8', timeout: 240_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cm train: divergence', () => {
  it('exits 3, names the step, and writes the last known-good state: finite weights whose own loss was finite', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cm-diverge-')), 'run');
    // Known-good candidates every 5 steps (--eval-every 5). Update 10 explodes right after the state of step 10
    // was kept as a candidate: the old rule called that state good and wrote it.
    const r = cm(['train', '--out', out, '--mode', 'ct', '--steps', '30', '--eval-every', '5', '--seed', '7', ...TINY], { CM_DEBUG_DIVERGE_AT_STEP: '10' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/the loss became (NaN|-?Infinity) at step 11; training stopped\. The last good checkpoint \(step 5: finite weights, and a finite loss computed from them\) is in \S*run\.safetensors/);
    expect(r.stdout).toBe('');
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    // The file holds exactly the state after step 5: the same run replayed here, on the same backend.
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    const reference = new TrainingSession(config);
    for (let k = 0; k < 5; k++) (await reference.trainStep()).loss.dispose();
    const expected = await reference.trainer!.checkpoint();
    const loaded = new TrainingSession(config);
    await loaded.importRunFile(new Uint8Array(readFileSync(join(out, 'run.safetensors'))));
    expect(loaded.step).toBe(5);
    const got = await loaded.trainer!.checkpoint();
    expect(got.online).toEqual(expected.online);
    expect(got.target).toEqual(expected.target);
    expect(got.evalEma).toEqual(expected.evalEma);
    const maxAbs = got.online.reduce((m, a) => a.reduce((x, v) => Math.max(x, Math.abs(v)), m), 0);
    expect(maxAbs).toBeLessThan(100);
    // ...and training goes on from it.
    const next = await loaded.trainStep();
    expect(Number.isFinite((await next.loss.data())[0])).toBe(true);
    next.loss.dispose();
    reference.dispose();
    loaded.dispose();
  }, 300_000);

  it('a run whose LAST update explodes is not saved as finished: exit 3 and the last good state', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cm-diverge-')), 'run');
    // Every loss of the 8 steps is finite; only the loss computed from the final weights is not.
    const r = cm(['train', '--out', out, '--mode', 'ct', '--steps', '8', '--eval-every', '4', '--seed', '7', ...TINY], { CM_DEBUG_DIVERGE_AT_STEP: '8' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/the loss computed from the final weights \(step 8\) is not finite; training stopped\. The last good checkpoint \(step 4: finite weights/);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    const loaded = new TrainingSession(config);
    await loaded.importRunFile(new Uint8Array(readFileSync(join(out, 'run.safetensors'))));
    expect(loaded.step).toBe(4);
    const online = (await loaded.trainer!.checkpoint()).online;
    expect(online.every((a) => a.every((v) => Number.isFinite(v) && Math.abs(v) < 100))).toBe(true);
    loaded.dispose();
  }, 300_000);

  it('refuses a malformed test hook value before writing anything', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cm-diverge-')), 'run');
    const r = cm(['train', '--out', out, '--steps', '2', ...TINY], { CM_DEBUG_DIVERGE_AT_STEP: 'soon' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CM_DEBUG_DIVERGE_AT_STEP: "soon" must be an integer >= 1/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
