// Test hooks: crash the worker, or destroy the WebGPU device, to exercise recovery end to end.
import * as tf from '@tensorflow/tfjs';
import { SessionError } from '../core/run/session';

export function runDebug(action: 'crash' | 'lose-device'): void {
  if (action === 'crash') {
    setTimeout(() => {
      throw new Error('deliberate crash (debug command)');
    }, 0);
    return;
  }
  const device = (tf.backend() as unknown as { device?: { destroy(): void } }).device;
  if (!device) throw new SessionError('invalid-config', 'the active backend has no WebGPU device');
  device.destroy();
}
