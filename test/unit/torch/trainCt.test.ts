// train.py ct: a run of any U-Net preset into a chosen output (so experiments, and a GPU round training the large
// model, leave the shipped file alone), its checkpoints and honest step count, and eval scoring a chosen CT file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readSafetensors } from '../../../src/core/io/safetensors';
import { SLOW, suite, tmp, trainPy as py } from './pyRun';

const SHIPPED_CT = 'public/pretrained/mnist-ct.safetensors';
const digest = () => createHash('sha256').update(readFileSync(SHIPPED_CT)).digest('hex');
const config = (path: string) => JSON.parse(readSafetensors(readFileSync(path)).metadata.config) as Record<string, unknown>;

suite('train.py ct --out/--save-every/--ckpt-dir, and eval --ct', () => {
  it('trains the large model into --out with a checkpoint per save, leaves the shipped file alone, and eval scores it', () => {
    const before = digest();
    const dir = tmp();
    const out = join(dir, 'ct-large.safetensors');
    const r = py(['train.py', 'ct', '--model', 'large', '--steps', '2', '--batch', '4', '--warmup', '1', '--out', out,
      '--save-every', '1', '--ckpt-dir', join(dir, 'ckpts')]);
    expect(r.status, r.stderr).toBe(0);
    expect(digest()).toBe(before);
    const file = readSafetensors(readFileSync(out));
    expect(file.metadata.role).toBe('ct');
    expect(JSON.parse(file.metadata.spec).channels).toEqual([32, 64, 128]);
    expect(config(out).stepsDone).toBe(2);
    const steps = (name: string) => config(join(dir, 'ckpts', name)).stepsDone;
    expect([steps('ct-000001.safetensors'), steps('ct-000002.safetensors')]).toEqual([1, 2]);

    const scored = py(['train.py', 'eval', '--count', '40', '--teacher', join(dir, 'none'), '--cd', join(dir, 'none'), '--ect', join(dir, 'none'), '--ct', out]);
    expect(scored.status, scored.stderr).toBe(0);
    expect(scored.stdout).toMatch(/ct one-step: .*FD \d/);
    expect(scored.stdout).not.toMatch(/cd one-step|teacher \(Heun/);
  }, SLOW);

  it('a run stopped by --max-minutes before its first step records 0 steps done', () => {
    const dir = tmp();
    const out = join(dir, 'ct.safetensors');
    const r = py(['train.py', 'ct', '--model', 'tiny', '--steps', '5', '--batch', '4', '--max-minutes', '1e-9', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('stopping early');
    expect(config(out).stepsDone).toBe(0);
  }, SLOW);
});
