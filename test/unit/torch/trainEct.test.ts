// scripts/torch/ect.py (train.py ect, the shipped MNIST ECT model): its r(t) against the sheet's Delta t goldens
// (few-step-methods.md 3.6) and src/core/methods/ect.ts, a 2-step run that saves, resumes and refuses bad starts,
// and eval's multistep ECT samples.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ectR } from '../../../src/core/methods/ect';
import { readNetworkWeights } from '../../../src/core/models/weights';
import { oneStepLargeTeacher, SLOW, suite, tmp, trainPy as py } from './pyRun';

const TS = [0.01, 0.1, 0.5, 1, 2, 5, 10, 80];
// Delta t = t - r (k = 8, b = 1), sheet 3.6
const GOLDEN: Array<[number, number, number[]]> = [
  [2, 0, [0.01, 0.1, 0.5, 1, 1.95362, 2.63386, 5.00182, 40]],
  [2, 1, [0.01, 0.1, 0.5, 0.787883, 0.976812, 1.31693, 2.50091, 20]],
  [2, 3, [0.0031125, 0.030001, 0.125635, 0.196971, 0.244203, 0.329232, 0.625227, 5]],
  [256, 0, [0.000194531, 0.00187507, 0.0078522, 0.0123107, 0.0152627, 0.020577, 0.0390767, 0.3125]],
];

suite('train.py ect', () => {
  it('r(t) gives the sheet\'s Delta t and the same r as the TypeScript ECT', () => {
    const code = `import json, torch; from ect import ect_r
t = torch.tensor(${JSON.stringify(TS)}, dtype=torch.float64)
print(json.dumps([(t - ect_r(t, s, q, 8.0, 1.0)).tolist() for q, s in ${JSON.stringify(GOLDEN.map(([q, s]) => [q, s]))}]))`;
    const r = py(['-c', code]);
    expect(r.status, r.stderr).toBe(0);
    const dts = JSON.parse(r.stdout) as number[][];
    GOLDEN.forEach(([q, s, want], i) => {
      want.forEach((w, j) => expect(dts[i][j]).toBeCloseTo(w, w < 0.01 ? 8 : 5));
      TS.forEach((t, j) => expect(Math.abs(t - ectR(t, s, q, 8, 1) - dts[i][j])).toBeLessThan(1e-12 * Math.max(1, t)));
    });
  });

  it('trains, saves an "ect" file and checkpoints, resumes from its state, and refuses a bad start', () => {
    const dir = tmp();
    const out = join(dir, 'ect.safetensors');
    const files = ['--out', out, '--state', join(dir, 'state.safetensors'), '--ckpt-dir', join(dir, 'ckpt')];
    const first = py(['train.py', 'ect', '--steps', '2', '--save-every', '1', '--batch', '4', ...files]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('from shipped teacher');
    expect(existsSync(join(dir, 'ckpt', 'ect-00001.safetensors')) && existsSync(join(dir, 'ckpt', 'ect-00002.safetensors'))).toBe(true);
    const w = readNetworkWeights(new Uint8Array(readFileSync(out)));
    expect([w.role, w.config.stepsDone, w.config.algorithm]).toEqual(['ect', 2, 'ECT']);
    for (const t of w.tensors.values()) expect(Array.from(t.data as Float32Array).every(Number.isFinite)).toBe(true);

    const resumed = py(['train.py', 'ect', '--resume', '--steps', '1', '--batch', '4', ...files]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('starting at step 2 from state file');
    expect(readNetworkWeights(new Uint8Array(readFileSync(out))).config.stepsDone).toBe(3);

    const noState = py(['train.py', 'ect', '--resume', '--steps', '1', '--out', out, '--state', join(dir, 'none.safetensors'), '--ckpt-dir', join(dir, 'ckpt')]);
    expect(noState.status).not.toBe(0);
    expect(noState.stderr).toContain('no ECT state');
    const teacherInit = py(['train.py', 'ect', '--init', '../../public/pretrained/mnist-teacher.safetensors', '--steps', '1', ...files]);
    expect(teacherInit.status).not.toBe(0);
    expect(teacherInit.stderr).toContain('not an ECT weights file');
  }, SLOW);

  it('starts as --teacher FILE in its architecture, and refuses an --init or a state of another one', () => {
    const dir = tmp();
    const teacher = oneStepLargeTeacher(dir);
    const out = join(dir, 'ect.safetensors');
    const state = join(dir, 'ect.state.safetensors');
    const common = ['--steps', '1', '--batch', '4', '--save-every', '0', '--ckpt-dir', join(dir, 'ckpts')];
    const r = py(['train.py', 'ect', '--teacher', teacher, ...common, '--out', out, '--state', state]);
    expect(r.status, r.stderr).toBe(0);
    expect(readNetworkWeights(readFileSync(out)).spec.channels).toEqual([32, 64, 128]);
    expect(r.stdout).toContain(`from teacher ${teacher}`);
    const other = join(dir, 'other.safetensors');
    const init = py(['train.py', 'ect', '--teacher', teacher, '--init', '../../public/pretrained/mnist-ect.safetensors', ...common,
      '--out', other, '--state', join(dir, 'other.state.safetensors')]);
    expect(init.status).not.toBe(0);
    expect(init.stderr).toContain('is another architecture than the teacher');
    const resumed = py(['train.py', 'ect', '--resume', '--state', state, ...common, '--out', other]); // the shipped (default) teacher
    expect(resumed.status).not.toBe(0);
    expect(resumed.stderr).toContain(`the ECT state ${state} is another architecture`);
    expect(existsSync(other)).toBe(false);
  }, SLOW);

  it('trains without a warm-up at --warmup 0 and refuses a stage plan that ends before it starts', () => {
    const dir = tmp();
    const files = ['--out', join(dir, 'ect.safetensors'), '--state', join(dir, 'state.safetensors'), '--ckpt-dir', join(dir, 'ckpt')];
    const noWarmup = py(['train.py', 'ect', '--steps', '1', '--batch', '2', '--warmup', '0', ...files]);
    expect(noWarmup.status, noWarmup.stderr).toBe(0);
    expect(readNetworkWeights(new Uint8Array(readFileSync(join(dir, 'ect.safetensors')))).config.stepsDone).toBe(1);
    const backwards = py(['train.py', 'ect', '--steps', '1', '--batch', '2', '--first-stage', '3', '--last-stage', '2', ...files.slice(0, 2), '--state', join(dir, 'other.safetensors'), '--ckpt-dir', join(dir, 'ckpt')]);
    expect(backwards.status).not.toBe(0);
    expect(backwards.stderr).toContain('--last-stage 2 is before --first-stage 3');
  }, SLOW);

  it('eval scores the shipped ECT\'s multistep samples; a one-tau list is its two-step sample', () => {
    const r = py(['train.py', 'eval', '--count', '200', '--only-ect', '--ect-tau', '1.7', '--ect-multistep', '1.7', '2.5,1.0']);
    expect(r.status, r.stderr).toBe(0);
    const lines = (name: string) => r.stdout.split('\n').filter((l) => l.startsWith(name));
    const fd = (line: string) => Number(/ FD (\d+\.\d+)/.exec(line)![1]);
    const [one] = lines('ect one-step');
    const two = lines('ect two-step tau=1.7 ');
    const [three] = lines('ect 3-step taus=2.5,1 ');
    expect(two).toHaveLength(2);
    expect(two[1]).toBe(two[0]);
    expect(three, r.stdout).toBeDefined();
    // Measured on these 200 samples: one step 147, two 102, three 83 (the model before session 15: 148, 102, 94).
    expect(fd(three)).toBeLessThan(fd(one) - 20);
  }, SLOW);
});
