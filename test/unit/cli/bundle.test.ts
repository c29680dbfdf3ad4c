// `cm export` / `cm import`: a run directory <-> one run bundle, run as a user would (child processes).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../../src/core/io/safetensors';
import { peekRunFile, PROJECT_VERSION } from '../../../src/core/run/runFile';
import { exportAfter } from '../torch/bundleRun';

function cm(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cm.ts', ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withFormat(bytes: Uint8Array, format: string): Uint8Array {
  const { tensors, metadata } = readSafetensors(bytes);
  const out = new Map<string, TensorToWrite>();
  tensors.forEach((t, k) => out.set(k, { shape: t.shape, data: t.data as Float32Array }));
  return writeSafetensors(out, { ...metadata, format });
}

describe('cm export / cm import', () => {
  let dir: string;
  let run: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cm-bundle-'));
    run = join(dir, 'run');
    mkdirSync(run);
    // What `cm train` leaves in a run directory, made in this process (a child `cm train` costs a minute on a loaded machine).
    const r = await exportAfter({ dataset: 'moons', mode: 'ct', steps: 4, width: 16, depth: 2, timeFeatures: 8, batchSize: 32 }, 3);
    writeFileSync(join(run, 'run.safetensors'), r.after);
  });

  it('export writes a run@2 bundle with the method, versions, the 2D mixture and the next step\'s draws', () => {
    const file = join(dir, 'moons.bundle.safetensors');
    const r = cm(['export', '--run', run, '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    const bytes = new Uint8Array(readFileSync(file));
    const { tensors, metadata } = readSafetensors(bytes);
    expect(metadata).toMatchObject({ format: 'cm-playground/run@2', formatVersion: '2', projectVersion: PROJECT_VERSION, method: 'ct', step: '4', nextStep: '4', layout: 'tfjs' });
    expect(JSON.parse(metadata.config)).toMatchObject({ mode: 'ct', dataset: 'moons', steps: 4 });
    expect(tensors.get('next/x0')!.shape).toEqual([32, 2]);
    expect(tensors.get('next/n')!.dtype).toBe('int32');
    expect(tensors.get('data/mixture/means')!.shape[1]).toBe(2);
    expect(tensors.get('online/hidden0.weight')!.shape).toEqual([2 + 8, 16]); // dense kernels [in, out]

    // A second export is the same file: the draws are peeked on copies of the streams, the run does not move.
    const again = join(dir, 'again.safetensors');
    expect(cm(['export', '--run', file, '--out', again]).code).toBe(0);
    expect(Buffer.compare(readFileSync(again), readFileSync(file))).toBe(0);
  });

  it('import makes a run directory that sample reads; --run FILE is accepted directly too', () => {
    const file = join(dir, 'moons.bundle.safetensors');
    const back = join(dir, 'imported');
    const r = cm(['import', '--run', file, '--out', back]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(back, 'config.json'), 'utf8')).mode).toBe('ct');
    expect(peekRunFile(new Uint8Array(readFileSync(join(back, 'run.safetensors')))).format).toBe('cm-playground/run@2');
    const s = cm(['sample', '--run', file, '--out', join(dir, 'samples'), '--count', '50']);
    expect(s.code, s.stderr).toBe(0);
    expect(existsSync(join(dir, 'samples', 'samples-1step.csv'))).toBe(true);
  });

  it('refuses another format version and an existing --out, and writes nothing; still reads run@1 files', () => {
    const bytes = new Uint8Array(readFileSync(join(run, 'run.safetensors')));
    const v3 = join(dir, 'v3.safetensors');
    writeFileSync(v3, withFormat(bytes, 'cm-playground/run@3'));
    const r = cm(['import', '--run', v3, '--out', join(dir, 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/format version 3 .*reads versions 1 and 2 only: update the playground/);
    expect(existsSync(join(dir, 'never'))).toBe(false);

    const taken = join(dir, 'taken.safetensors');
    writeFileSync(taken, 'keep me');
    const r2 = cm(['export', '--run', run, '--out', taken]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/--out: .* exists \(use --force/);
    expect(readFileSync(taken, 'utf8')).toBe('keep me');

    const v1 = join(dir, 'v1.safetensors');
    writeFileSync(v1, withFormat(bytes, 'cm-playground/run@1'));
    const upgraded = join(dir, 'upgraded.safetensors');
    const r3 = cm(['export', '--run', v1, '--out', upgraded]);
    expect(r3.code, r3.stderr).toBe(0);
    expect(peekRunFile(new Uint8Array(readFileSync(upgraded))).format).toBe('cm-playground/run@2');
  });
});
