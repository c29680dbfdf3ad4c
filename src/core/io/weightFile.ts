// Recognise a weight file by its content (never by its name) and read its tensors.

import { readSafetensors } from './safetensors';
import type { HostTensor } from './tensor';
import { isTorchLegacy, isTorchZip, readTorchLegacy, readTorchZip } from './torch/containers';

export type WeightFormat = 'torch-legacy' | 'torch-zip' | 'safetensors' | 'unknown';

/** The content is none of the supported weight formats. */
export class WeightFileError extends Error {
  override name = 'WeightFileError';
}

export function detectWeightFormat(bytes: Uint8Array): WeightFormat {
  if (isTorchLegacy(bytes)) return 'torch-legacy';
  if (isTorchZip(bytes)) return 'torch-zip';
  if (looksLikeSafetensors(bytes)) return 'safetensors';
  return 'unknown';
}

function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 10) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  return n >= 2n && n <= 100_000_000n && bytes[8] === 0x7b; // '{'
}

/** Tensors of a torch state dict (either container). Nested dicts give dotted names. */
export function readTorchStateDict(bytes: Uint8Array): Map<string, HostTensor> {
  const format = detectWeightFormat(bytes);
  if (format === 'torch-legacy') return readTorchLegacy(bytes);
  if (format === 'torch-zip') return readTorchZip(bytes);
  throw new WeightFileError(`not a torch checkpoint (content looks like: ${format})`);
}

/** Tensors of any supported weight file, with the detected format. */
export function readWeightFile(bytes: Uint8Array): { format: WeightFormat; tensors: Map<string, HostTensor> } {
  const format = detectWeightFormat(bytes);
  switch (format) {
    case 'torch-legacy': return { format, tensors: readTorchLegacy(bytes) };
    case 'torch-zip': return { format, tensors: readTorchZip(bytes) };
    case 'safetensors': return { format, tensors: readSafetensors(bytes).tensors };
    default:
      throw new WeightFileError('unrecognised weight file: not a torch checkpoint (legacy or zip) and not safetensors');
  }
}
