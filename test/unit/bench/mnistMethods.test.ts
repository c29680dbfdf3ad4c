// The MNIST per-method bench's pure helpers (config, budget, table, join) and its claim about how each
// student starts from the shipped teacher (checked against a real session, no training step).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossFieldErrors, defaultLrSchedule } from '../../../src/core/config';
import type { ImageQuality } from '../../../src/core/run/imageData';
import { parseOptions } from '../../bench/lib/options';
import { openSession } from '../../bench/lib/sessions';
import {
  joinMnistMethods, MNIST_METHODS, mnistMethodConfig, mnistMethodsBudget, mnistMethodsTable, startOf, type MnistMethodsResult,
} from '../../bench/sections/mnistMethods';

const q = (fd1: number): ImageQuality => ({ fd1, fd2: fd1 / 2, fdFloor: 10, fdCeiling: 900, confidence1: 0.5, confidence2: 0.6, labelEntropy1: 1.5, labelEntropy2: 2 });
const setup = { backend: 'wasm', steps: 200, batch: 16, samples: 256, lr: 2e-4, note: '' };

describe('mnist-methods bench helpers', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('uses the page\'s digit preset (U-Net, pretrained teacher, digit lr) at the smaller batch', () => {
    for (const m of MNIST_METHODS) {
      const c = mnistMethodConfig(m);
      expect([c.mode, c.dataset, c.model, c.teacher, c.batchSize]).toEqual([m, 'mnist', 'unet-large', 'pretrained', 16]); // the digits' default model since session 17
      expect(c.lr).toBe(defaultLrSchedule({ dataset: 'mnist', mode: m }).lr);
      expect(crossFieldErrors(c)).toEqual([]);
    }
    expect(mnistMethodConfig('cd', 32).batchSize).toBe(32);
  });

  it('reads the budget from --quick and CM_BENCH_MNIST_STEPS, refusing a bad value', () => {
    expect(mnistMethodsBudget(false, {})).toEqual({ steps: 200, samples: 256 });
    expect(mnistMethodsBudget(true, {})).toEqual({ steps: 20, samples: 64 });
    expect(mnistMethodsBudget(false, { CM_BENCH_MNIST_STEPS: '350' })).toEqual({ steps: 350, samples: 256 });
    for (const bad of ['0', '-3', '2.5', 'many', '']) expect(() => mnistMethodsBudget(false, { CM_BENCH_MNIST_STEPS: bad })).toThrow(/CM_BENCH_MNIST_STEPS/);
  });

  it('is a bench section of its own', () => {
    expect([...parseOptions(['--only=mnist-methods']).sections]).toEqual(['mnist-methods']);
    expect(parseOptions([]).sections.has('mnist-methods')).toBe(true);
  });

  it('renders one row per method with the start and end FD, and an error row', () => {
    const r: MnistMethodsResult = { setup, rows: [
      { method: 'scd', start: 'x', steps: 200, msPerStep: 700, seconds: 150, atStart: q(2500), atEnd: q(400) },
      { method: 'ect', start: 'y', steps: 200, msPerStep: 650, seconds: 0, error: 'boom' },
    ] };
    const lines = mnistMethodsTable(r).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('| sCD | x | 200 (16) | 700 | 2500 -> **400** | 1250 -> **200** | 1.5 / 2 |');
    expect(lines[3]).toMatch(/^\| ECT .*error: boom/);
  });

  it('joins runs of the same setup and refuses different setups or a method twice', () => {
    const a: MnistMethodsResult = { setup, rows: [{ method: 'cd', start: '', steps: 200, msPerStep: 1, seconds: 1, atStart: q(1), atEnd: q(1) }] };
    const b: MnistMethodsResult = { setup, rows: [{ method: 'ect', start: '', steps: 200, msPerStep: 1, seconds: 1, atStart: q(1), atEnd: q(1) }] };
    expect(joinMnistMethods([a, b]).rows.map((r) => r.method)).toEqual(['cd', 'ect']);
    expect(() => joinMnistMethods([a, { ...b, setup: { ...setup, steps: 100 } }])).toThrow(/differ in setup/);
    expect(() => joinMnistMethods([a, a])).toThrow(/more than one run/);
    expect(() => joinMnistMethods([])).toThrow(/no mnist-methods/);
  });

  it('says truthfully which students start as the teacher\'s weights (CD, ECT) and which do not (sCD)', async () => {
    for (const m of MNIST_METHODS) {
      const c = mnistMethodConfig(m);
      const s = openSession(c, 8);
      try {
        const teacher = s.resources.pretrainedTeacher!;
        const student = s.samplingParams('online');
        const same = teacher.every((p, i) => i < student.length && p.length === student[i].size
          && (student[i].dataSync() as Float32Array).every((v, j) => v === p[j]));
        expect(same, m).toBe(startOf(c).startsWith('copy of the teacher'));
      } finally {
        s.dispose();
      }
    }
  });
});
