// What one training step asks of the GPU, for the page's performance readout (webgpu only): dispatches
// per step (exact: every program goes through the backend's runWebGPUProgram, see webgpuDispatches.ts) and,
// where the device grants timestamp queries, GPU time per step from tf.time's kernel times. Timing ends the
// compute pass after every program, which slows that step, so only one step every few seconds is timed.
import * as tf from '@tensorflow/tfjs';
import { webgpuDispatches } from '../core/models/webgpuDispatches';
import type { GpuStepReadout } from './protocol';

const TIME_EVERY_MS = 3000;
/** Timed steps that gave no time before giving up (e.g. a step that awaited before enqueuing its work). */
const MAX_EMPTY_TIMINGS = 3;

export const NO_TIMESTAMPS = 'no timestamp queries on this device (Chrome grants them to real GPUs; not to software adapters here)';

export class GpuStepMeter {
  private dispatches: number | null = null;
  private gpuMs: number | null = null;
  private lastTimed = -Infinity;
  private emptyTimings = 0;

  /** Runs one step, counting its dispatches (and timing it on the GPU when due and possible). */
  async step<T>(run: () => Promise<T>): Promise<T> {
    const before = webgpuDispatches();
    if (before === null) return run();
    const timestamps = (tf.backend() as unknown as { supportTimestampQuery?: boolean }).supportTimestampQuery === true;
    let out: T;
    const due = this.gpuMs === null ? this.emptyTimings < MAX_EMPTY_TIMINGS : performance.now() - this.lastTimed > TIME_EVERY_MS;
    if (timestamps && due) {
      let pending!: Promise<T>;
      // The step enqueues its GPU work synchronously (its first await comes after), so tf.time sees all of it.
      const info = await tf.time(() => {
        pending = run();
      });
      out = await pending;
      if (typeof info.kernelMs === 'number' && info.kernelMs > 0) {
        this.gpuMs = info.kernelMs;
        this.lastTimed = performance.now();
      } else {
        this.emptyTimings++;
      }
    } else {
      out = await run();
    }
    this.dispatches = webgpuDispatches()! - before;
    return out;
  }

  readout(): GpuStepReadout | undefined {
    if (this.dispatches === null || tf.getBackend() !== 'webgpu') return undefined;
    const timestamps = (tf.backend() as unknown as { supportTimestampQuery?: boolean }).supportTimestampQuery === true;
    let note: string | null = null;
    if (!timestamps) note = NO_TIMESTAMPS;
    else if (this.gpuMs === null) note = this.emptyTimings >= MAX_EMPTY_TIMINGS ? 'timestamp queries gave no time on this device' : 'GPU time not measured yet';
    return { dispatchesPerStep: this.dispatches, gpuMsPerStep: this.gpuMs, gpuTimeNote: note };
  }
}
