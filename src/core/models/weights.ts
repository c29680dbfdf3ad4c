// The project's weight files: safetensors whose tensor names and shapes are a network's parameter list,
// float32, with string metadata format / spec / role / config / trainedBy (written by scripts/torch too).
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../io/safetensors';
import { toFloat32, type HostTensor } from '../io/tensor';
import type { ParamInfo } from './types';

export const WEIGHTS_FORMAT = 'cm-playground/weights@1';
export type WeightsRole = 'teacher' | 'cd' | 'ct' | 'ect' | 'classifier';

export interface NetworkWeights {
  /** Parsed `spec` metadata (a network spec object). */
  spec: { kind: string; [key: string]: unknown };
  role: string;
  /** Parsed `config` metadata (training settings), or {} when absent. */
  config: Record<string, unknown>;
  trainedBy: string;
  tensors: Map<string, HostTensor>;
}

export function readNetworkWeights(bytes: Uint8Array): NetworkWeights {
  const { tensors, metadata } = readSafetensors(bytes);
  if (metadata.format !== WEIGHTS_FORMAT) {
    throw new Error(`not a ${WEIGHTS_FORMAT} file (format metadata: ${metadata.format ?? 'missing'})`);
  }
  const parse = (key: string): unknown => {
    try {
      return JSON.parse(metadata[key] ?? '{}');
    } catch {
      throw new Error(`weights metadata '${key}' is not valid JSON`);
    }
  };
  const spec = parse('spec') as NetworkWeights['spec'];
  if (typeof spec !== 'object' || spec === null || typeof spec.kind !== 'string') throw new Error('weights metadata has no spec.kind');
  return { spec, role: metadata.role ?? '', config: parse('config') as Record<string, unknown>, trainedBy: metadata.trainedBy ?? '', tensors };
}

/**
 * Parameter values in the network's order. Throws one message listing every mismatch (missing or
 * unexpected names, wrong shapes), so a file for another architecture is refused with the reason.
 */
export function paramsFromTensors(params: readonly ParamInfo[], tensors: Map<string, HostTensor>): Float32Array[] {
  const problems: string[] = [];
  const wanted = new Set(params.map((p) => p.name));
  for (const { name, shape } of params) {
    const t = tensors.get(name);
    if (!t) problems.push(`missing '${name}' [${shape}]`);
    else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      problems.push(`'${name}' has shape [${t.shape}], the network needs [${shape}]`);
    }
  }
  for (const name of tensors.keys()) if (!wanted.has(name)) problems.push(`unexpected '${name}'`);
  if (problems.length > 0) {
    const shown = problems.slice(0, 6).join('; ') + (problems.length > 6 ? `; and ${problems.length - 6} more` : '');
    throw new Error(`weights do not fit this network: ${shown}`);
  }
  return params.map(({ name }) => toFloat32(tensors.get(name)!));
}

/** Serialises parameter values (in `params` order) with the project's metadata. */
export function writeNetworkWeights(
  params: readonly ParamInfo[], values: readonly Float32Array[],
  meta: { spec: object; role: WeightsRole; config?: object; trainedBy?: string },
): Uint8Array {
  const tensors = new Map<string, TensorToWrite>();
  params.forEach(({ name, shape }, i) => tensors.set(name, { dtype: 'float32', shape, data: values[i] }));
  return writeSafetensors(tensors, {
    format: WEIGHTS_FORMAT,
    spec: JSON.stringify(meta.spec),
    role: meta.role,
    config: JSON.stringify(meta.config ?? {}),
    trainedBy: meta.trainedBy ?? '',
  });
}
