// Test hooks: crash the worker, destroy the WebGPU device, or make the next update diverge, to exercise
// recovery end to end.
import * as tf from '@tensorflow/tfjs';
import { SessionError } from '../core/run/session';
import { requireSession } from './context';

export function runDebug(action: 'crash' | 'lose-device' | 'diverge'): void {
  if (action === 'diverge') {
    // Only the development server (and so the browser tests) can ruin a run on purpose.
    if (!import.meta.env.DEV) throw new SessionError('invalid-config', 'the "diverge" test hook exists in development builds only');
    requireSession().forceDivergenceNextStep();
    return;
  }
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
