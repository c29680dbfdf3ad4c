// What "Import run" needs before the worker sees the file: the bundle's settings and custom points, read on
// the main thread without building anything, and a clear reason when the file cannot be a run.
import type { Config } from '../core/config';
import { readSafetensors } from '../core/io/safetensors';
import { peekRunFile, WEIGHTS_FORMAT } from '../core/run/runFile';

export interface RunToImport {
  config: Config;
  points: Float64Array | null;
  step: number;
  writer: string;
}

/** Throws an Error whose message says why the file is not an importable run (nothing is changed then). */
export function readRunToImport(bytes: Uint8Array): RunToImport {
  const { format, config, configErrors } = peekRunFile(bytes);
  if (format === WEIGHTS_FORMAT) throw new Error('this is a weights file, not a run: use "Import weights" (it keeps the current settings)');
  if (!config) throw new Error('the run file has no settings');
  if (configErrors.length) throw new Error(`the run's settings are not valid here: ${configErrors.join('; ')}`);
  const { tensors, metadata } = readSafetensors(bytes);
  const pts = tensors.get('data/points');
  return {
    config,
    points: pts ? Float64Array.from(pts.data as ArrayLike<number>) : null,
    step: Number(metadata.step ?? 0),
    writer: metadata.writer ?? 'cm-playground',
  };
}
