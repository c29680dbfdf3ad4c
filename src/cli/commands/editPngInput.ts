// PNG input for `cm edit` (masks and strokes); the decoding itself is in ../pngDecode.ts.
import { readFileSync } from 'node:fs';
import { MASK_PRESETS } from '../../core/edit/index';
import { UsageError, type ParsedArgs } from '../args';
import { SIDE, stringFlag } from './editFlags';
import { decodePngGrey } from '../pngDecode';

/** Larger inputs are refused before decoding; the digits are 28x28 anyway. */
const MAX_INPUT_PIXELS = 1024 * 1024;

/** A 28x28 8-bit PNG (grey, grey+alpha, RGB or RGBA; not interlaced) as grey levels in [0, 1]. */
export function readImageFlag(args: ParsedArgs, name: 'mask' | 'image'): Float32Array {
  const path = stringFlag(args, name)!;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    const hint = name === 'mask' ? ` (or a preset: ${MASK_PRESETS.join(', ')})` : '';
    throw new UsageError(`--${name}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})${hint}`);
  }
  let img;
  try {
    img = decodePngGrey(bytes, MAX_INPUT_PIXELS);
  } catch (e) {
    throw new UsageError(`--${name}: ${path}: ${(e as Error).message}`);
  }
  if (img.width !== SIDE || img.height !== SIDE) throw new UsageError(`--${name}: ${path} is ${img.width}x${img.height}; the digits are ${SIDE}x${SIDE}`);
  return img.grey;
}
