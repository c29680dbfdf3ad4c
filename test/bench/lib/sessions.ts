// Builds the sessions the bench measures and times their steps. A step is timed until its loss has been
// read back (`await loss.data()`), so queued GPU or WASM work is included.
import * as tf from '@tensorflow/tfjs';
import { DEFAULTS, defaultTaus, type Config } from '../../../src/core/config';
import { TrainingSession } from '../../../src/core/run/session';
import { loadImageResources } from '../../../src/cli/imageResources';
import { settle } from './nodeBackend';
import { summarise, timeRuns, type Timing } from './stats';

/** The speed-comparison step: the defaults at the papers' batch of 512 (the issue's reference shape). */
export const MLP_DEFAULT: Config = { ...DEFAULTS, batchSize: 512 };

/** The MNIST defaults (withDatasetDefaults): U-Net, batch 64, lr 2e-4, the digits' taus; CD distils the shipped teacher. */
export function mnistConfig(over: Partial<Config>): Config {
  const c: Config = { ...DEFAULTS, dataset: 'mnist', model: 'unet', batchSize: 64, lr: 2e-4, teacher: 'pretrained', taus: defaultTaus('mnist'), ...over };
  // The shipped teacher is a default "unet"; the tiny model gets a learned teacher with one teacher step.
  if (c.mode === 'cd' && c.model === 'unet-tiny') return { ...c, teacher: 'learned', teacherSteps: 1 };
  return c;
}

export const modeLabel = (c: Config) => (c.mode === 'ct' ? 'CT' : `CD-${c.solver === 'heun' ? 'Heun' : 'Euler'}`);
export const modelLabel = (c: Config) => (c.model === 'mlp' ? `mlp ${c.depth}x${c.width}` : c.model);

export function openSession(c: Config, evalCount = 256): TrainingSession {
  const resources = c.dataset === 'mnist' ? loadImageResources(c, undefined, evalCount) : {};
  const s = new TrainingSession(c, resources, evalCount);
  return s;
}

/** Runs the learned-teacher phase (if any) so that later steps are consistency steps. */
export async function finishTeacherPhase(s: TrainingSession): Promise<void> {
  while (s.phase === 'teacher') await settle((await s.trainStep()).loss);
}

/** Median step time after warm-up; stops early (keeping at least `minTimed`) when `budgetS` is spent. */
export async function timeSteps(s: TrainingSession, warmup: number, repeats: number, budgetS: number, minTimed = 2): Promise<Timing> {
  const { times } = await timeRuns(async () => settle((await s.trainStep()).loss), warmup, repeats, budgetS * 1000, minTimed);
  return summarise(times);
}

/** Kernels per step and where the time goes (tf.profile), counting registered kernels only. */
export async function profileStep(s: TrainingSession): Promise<{ kernels: number; topKernels: { name: string; count: number; ms: number }[] }> {
  const backend = tf.getBackend();
  const prof = await tf.profile(async () => {
    await settle((await s.trainStep()).loss);
  });
  const by = new Map<string, { count: number; ms: number }>();
  let kernels = 0;
  for (const k of prof.kernels) {
    if (!tf.getKernel(k.name, backend)) continue; // scopes of custom gradients and ops, not launches
    kernels++;
    const e = by.get(k.name) ?? { count: 0, ms: 0 };
    e.count++;
    e.ms += Number(k.kernelTimeMs) || 0;
    by.set(k.name, e);
  }
  const topKernels = [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8)
    .map(([name, v]) => ({ name, count: v.count, ms: Math.round(v.ms * 10) / 10 }));
  return { kernels, topKernels };
}

/** Multiply-accumulates of one U-Net forward pass per sample (convolutions only), from its parameters. */
export function unetConvMacs(s: TrainingSession): number {
  let macs = 0;
  s.net.params.forEach((p) => {
    if (p.shape.length !== 4) return;
    const [kh, kw, cin, cout] = p.shape;
    const lowRes = p.name.startsWith('enc1.') || p.name.startsWith('mid.'); // the 14x14 level
    macs += kh * kw * cin * cout * (lowRes ? 14 * 14 : 28 * 28);
  });
  return macs;
}
