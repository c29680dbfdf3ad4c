// train.py average: the mean of one run's checkpoints (a longer average than its EMA), its refusals, and an ECT run
// started from such a mean keeping the whole chain in its metadata.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readSafetensors } from '../../../src/core/io/safetensors';
import { readNetworkWeights } from '../../../src/core/models/weights';
import { SLOW, suite, tmp, trainPy as py } from './pyRun';

const weights = (path: string) => readNetworkWeights(new Uint8Array(readFileSync(path)));

suite('train.py average', () => {
  it('writes the elementwise mean of checkpoints, names them, and an ECT run from it records the chain', () => {
    const dir = tmp();
    const ckpt = join(dir, 'ckpt');
    const run = py(['train.py', 'ect', '--steps', '2', '--save-every', '1', '--batch', '4', '--out', join(dir, 'ect.safetensors'),
      '--state', join(dir, 'state.safetensors'), '--ckpt-dir', ckpt]);
    expect(run.status, run.stderr).toBe(0);
    const [a, b] = ['ect-00001.safetensors', 'ect-00002.safetensors'].map((f) => join(ckpt, f));
    const mean = join(dir, 'mean.safetensors');
    const r = py(['train.py', 'average', a, b, '--out', mean]);
    expect(r.status, r.stderr).toBe(0);

    const [wa, wb, wm] = [a, b, mean].map(weights);
    expect(wm.role).toBe('ect');
    let changed = 0;
    for (const [name, t] of wm.tensors) {
      const x = wa.tensors.get(name)!.data as Float32Array;
      const y = wb.tensors.get(name)!.data as Float32Array;
      (t.data as Float32Array).forEach((v, i) => {
        expect(Math.abs(v - (x[i] + y[i]) / 2)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(v)));
        if (x[i] !== y[i]) changed++;
      });
    }
    expect(changed).toBeGreaterThan(0); // the checkpoints differ, so the mean is not just one of them
    const averageOf = JSON.parse(readSafetensors(readFileSync(mean)).metadata.averageOf) as unknown;
    expect(averageOf).toEqual([{ file: 'ect-00001.safetensors', stepsDone: 1 }, { file: 'ect-00002.safetensors', stepsDone: 2 }]);

    const next = join(dir, 'next.safetensors');
    const cont = py(['train.py', 'ect', '--init', mean, '--steps', '1', '--batch', '4', '--out', next, '--state', join(dir, 'next.state.safetensors')]);
    expect(cont.status, cont.stderr).toBe(0);
    const from = weights(next).config.startedFrom as { averageOf: Array<{ file: string; stepsDone: number }>; stepsDone: number; startedFrom: string };
    expect(from.averageOf).toEqual([{ file: 'ect-00001.safetensors', stepsDone: 1 }, { file: 'ect-00002.safetensors', stepsDone: 2 }]);
    expect(from.stepsDone).toBe(2);
    expect(from.startedFrom).toBe('shipped teacher'); // where the averaged run began: the chain survives
  }, SLOW);

  it('refuses files of another role, a missing file and an existing --out, and writes nothing', () => {
    const dir = tmp();
    const out = join(dir, 'mean.safetensors');
    const mixed = py(['train.py', 'average', '../../public/pretrained/mnist-ect.safetensors', '../../public/pretrained/mnist-cd.safetensors', '--out', out]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toContain("is not the role and architecture of ../../public/pretrained/mnist-ect.safetensors (role 'cd' against 'ect')");
    const missing = py(['train.py', 'average', '../../public/pretrained/mnist-ect.safetensors', join(dir, 'none.safetensors'), '--out', out]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('average: no file');
    expect(existsSync(out)).toBe(false);
    const exists = py(['train.py', 'average', '../../public/pretrained/mnist-ect.safetensors', '--out', '../../public/pretrained/mnist-cd.safetensors']);
    expect(exists.status).toBe(2);
    expect(exists.stderr).toContain('exists (--force to replace it)');
  }, SLOW);
});
