// Run files written before a setting existed must load as the architecture they were trained with.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { createNetwork } from '../../../src/core/models/index';
import { decodeRunFile, encodeRunFile, peekRunFile } from '../../../src/core/run/runFile';

function legacyFile(): Uint8Array {
  const { timeConditioning: _dropped, ...old } = { ...DEFAULTS, width: 8, depth: 2 };
  const net = createNetwork({ ...DEFAULTS, width: 8, depth: 2, timeConditioning: 'input' }, [2]);
  // An old file: its spec has no timeConditioning key and neither has its config.
  expect(JSON.stringify(net.spec)).not.toMatch(/timeConditioning/);
  return encodeRunFile({ config: old as Config, spec: net.spec, phase: 'student', trainer: null, teacher: null, teacherStep: 0, points: null }, net);
}

describe('run files without timeConditioning', () => {
  it('read as the input-only MLP and fit that network', () => {
    const bytes = legacyFile();
    const { config, configErrors } = peekRunFile(bytes);
    expect(configErrors).toEqual([]);
    expect(config!.timeConditioning).toBe('input');
    expect(() => decodeRunFile(bytes, createNetwork(config!, [2]))).not.toThrow();
    expect(() => decodeRunFile(bytes, createNetwork({ ...config!, timeConditioning: 'every-layer' }, [2]))).toThrow(/different model/);
  });
});
