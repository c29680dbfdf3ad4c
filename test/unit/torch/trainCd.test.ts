// train.py cd: a continuation from a chosen CD file into a chosen output (so experiments leave the shipped model
// alone), its refusals, and eval's multistep CD samples (Algorithm 1, as the page samples).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { MNIST_TAUS } from '../../../src/core/config';
import { readSafetensors } from '../../../src/core/io/safetensors';
import { oneStepLargeTeacher, SLOW, suite, tmp, trainPy as py } from './pyRun';

const SHIPPED_CD = '../../public/pretrained/mnist-cd.safetensors';
const digest = (p: string) => createHash('sha256').update(readFileSync(join('scripts/torch', p))).digest('hex');

suite('train.py cd --resume --init/--out, and eval\'s multistep CD', () => {
  it('continues a CD file into --out, recording where it started, and leaves the shipped file alone', () => {
    const before = digest(SHIPPED_CD);
    const dir = tmp();
    const out = join(dir, 'cd.safetensors');
    // Given as an absolute path, as a script in another directory would.
    const r = py(['train.py', 'cd', '--resume', '--init', resolve('public/pretrained/mnist-cd.safetensors'), '--steps', '2', '--batch', '4', '--out', out,
      '--save-every', '1', '--ckpt-dir', join(dir, 'ckpts')]);
    expect(r.status, r.stderr).toBe(0);
    expect(digest(SHIPPED_CD)).toBe(before);
    const file = readSafetensors(readFileSync(out));
    expect(file.metadata.role).toBe('cd');
    const config = JSON.parse(file.metadata.config) as Record<string, unknown>;
    expect(config.stepsDone).toBe(2);
    // --save-every 1 keeps a checkpoint after each step, each saying how many steps it holds.
    const steps = (name: string) => (JSON.parse(readSafetensors(readFileSync(join(dir, 'ckpts', name))).metadata.config) as { stepsDone: number }).stepsDone;
    expect([steps('cd-000001.safetensors'), steps('cd-000002.safetensors')]).toEqual([1, 2]);
    expect(config.init).toBe('previous mnist-cd.safetensors');
    // The command is recorded as run from the repository root, with paths inside it repo-relative.
    expect(file.metadata.trainedBy).toContain('cd --resume --init public/pretrained/mnist-cd.safetensors --steps 2');
    // The shipped file's own history rides along, so the new file says how many steps it has had in all.
    const previous = config.previousRun as { config: { stepsDone: number } };
    expect(previous.config.stepsDone).toBeGreaterThan(1000);
  }, SLOW);

  it('--metric pseudo-huber records iCT\'s c for digits; a metric it does not have is refused', () => {
    const dir = tmp();
    const out = join(dir, 'cd.safetensors');
    const r = py(['train.py', 'cd', '--resume', '--steps', '2', '--batch', '4', '--metric', 'pseudo-huber', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const config = JSON.parse(readSafetensors(readFileSync(out)).metadata.config) as Record<string, unknown>;
    expect(config.metric).toBe('pseudo-huber');
    expect(config.huberC).toBeCloseTo(0.00054 * 28, 10); // c = 0.00054 sqrt(784)
    // Per sample sqrt(|diff|^2 + c^2) - c: about |diff| ~ 1 here, where the mean-square l2 loss is ~1e-3.
    const first = Number(/cd step 0 loss (\d+\.\d+)/.exec(r.stdout + r.stderr)![1]);
    expect(first).toBeGreaterThan(0.1);
    const lpips = py(['train.py', 'cd', '--resume', '--steps', '1', '--metric', 'lpips', '--out', join(dir, 'other.safetensors')]);
    expect(lpips.status).toBe(2);
    expect(lpips.stderr).toContain("invalid choice: 'lpips'");
    expect(existsSync(join(dir, 'other.safetensors'))).toBe(false);
  }, SLOW);

  it('distils from --teacher FILE in its architecture, and refuses to resume a CD file of another one', () => {
    const dir = tmp();
    const teacher = oneStepLargeTeacher(dir);
    const out = join(dir, 'cd.safetensors');
    const r = py(['train.py', 'cd', '--teacher', teacher, '--steps', '2', '--batch', '4', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const file = readSafetensors(readFileSync(out));
    expect(JSON.parse(file.metadata.spec).channels).toEqual([32, 64, 128]); // the student starts as the teacher
    expect(JSON.parse(file.metadata.config).teacher).toBe(teacher);
    const other = join(dir, 'other.safetensors');
    const mixed = py(['train.py', 'cd', '--teacher', teacher, '--resume', '--init', SHIPPED_CD, '--steps', '1', '--out', other]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toContain('is another architecture than the teacher');
    expect(existsSync(other)).toBe(false);
  }, SLOW);

  it('refuses to resume from a file that is not CD, or from no file, and writes nothing', () => {
    const dir = tmp();
    const out = join(dir, 'cd.safetensors');
    const teacher = py(['train.py', 'cd', '--resume', '--init', '../../public/pretrained/mnist-teacher.safetensors', '--steps', '1', '--out', out]);
    expect(teacher.status).not.toBe(0);
    expect(teacher.stderr).toContain("is not a CD weights file (role 'teacher')");
    const none = py(['train.py', 'cd', '--resume', '--init', join(dir, 'none.safetensors'), '--steps', '1', '--out', out]);
    expect(none.status).not.toBe(0);
    expect(none.stderr).toContain('cd --resume: no file');
    expect(existsSync(out)).toBe(false);
  }, SLOW);

  it('scores the shipped CD model\'s two-step samples better than its one-step samples on the same noise, best at the page\'s tau', () => {
    const r = py(['train.py', 'eval', '--count', '200', '--cd', SHIPPED_CD, '--teacher', '/nonexistent', '--ect', '/nonexistent', '--cd-tau', '0.585', String(MNIST_TAUS[0]),
      '--cd-multistep', String(MNIST_TAUS[0]), '2.5,1.0']);
    expect(r.status, r.stderr).toBe(0);
    const fd = (name: string) => {
      const m = new RegExp(`^${name}: .* FD (\\d+\\.\\d+)`, 'm').exec(r.stdout);
      expect(m, r.stdout).not.toBeNull();
      return Number(m![1]);
    };
    // Measured on these 200 samples: one-step 103, two-step at tau 0.585 83, at the page's 1.7 77 (the 50,172-step
    // model; 98 / 79 / 66 on 1,000; the 43,525-step one 103 / 82 / 75). A second step without noise barely moves
    // the samples, and one with noise at T is a fresh one-step sample: either would score about the one-step FD.
    const one = fd('cd one-step');
    const two = fd('cd two-step tau=0.585');
    expect(one).toBeLessThan(130);
    expect(two).toBeLessThan(one - 5);
    // The files it was told to skip are named, not passed over in silence.
    expect(r.stdout).toContain('teacher: no file /nonexistent, skipped');
    expect(r.stdout).toContain('ect: no file /nonexistent, skipped');
    // The digits' default tau (MNIST_TAUS) is there because it beats the paper's CIFAR-10 value on these models.
    const atPageTau = fd(`cd two-step tau=${MNIST_TAUS[0]}`);
    expect(atPageTau).toBeLessThan(two - 3);
    // A one-tau --cd-multistep is the two-step sample itself (same noise, same line); three steps score about 74
    // here (60 on 1,000 samples), better than one step.
    const lines = r.stdout.split('\n').filter((l) => l.startsWith(`cd two-step tau=${MNIST_TAUS[0]}:`));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(lines[0]);
    expect(fd('cd 3-step taus=2.5,1')).toBeLessThan(one - 10);
  }, SLOW);

  it('refuses multistep taus the page would refuse, naming the problem', () => {
    for (const [taus, message] of [
      ['1.0,2.0', 'taus must be strictly decreasing'],
      ['2.5,x', 'is not a comma-separated list of taus'],
      ['100,1', '100.0 is outside [eps, T] = [0.002, 80.0]'],
    ]) {
      const r = py(['train.py', 'eval', '--count', '10', '--cd-multistep', taus]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
    }
  }, SLOW);

  it('refuses a device it cannot use, before any work, and names it', () => {
    for (const [device, message] of [
      ['vulkan', '--device vulkan: only cpu and cuda are supported'],
      ['nonsense', '--device nonsense: '],
    ]) {
      const r = py(['train.py', '--device', device, 'eval', '--count', '10']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
    }
    const fixture = py(['train.py', '--device', 'cuda', 'fixture']);
    expect(fixture.status).toBe(2); // no CUDA here, or the fixture's CPU-only rule: either way nothing is written
    expect(fixture.stderr).toMatch(/--device cuda: this torch sees no CUDA device|fixture runs on the CPU only/);
  }, SLOW);

  it('eval\'s two-step samples default to the page\'s tau on digits', () => {
    const m = /^PAGE_TAU = ([\d.]+)/m.exec(readFileSync('scripts/torch/train.py', 'utf8'));
    expect(m).not.toBeNull();
    expect([Number(m![1])]).toEqual([...MNIST_TAUS]);
  });
});
