// Makes a small run in the TypeScript core, exports it as a bundle with the next step's draws, and takes
// that next step, so a test can compare continue.py's first step against it.
import * as tf from '@tensorflow/tfjs';
import { DEFAULTS, type Config } from '../../../src/core/config';
import { TrainingSession, type SessionResources } from '../../../src/core/run/session';
import { loadImageResources } from '../../../src/cli/imageResources';
import { initNodeBackend } from '../../../src/cli/nodeBackend';

export interface ExportedRun {
  bundle: Uint8Array;
  /** The step the bundle is at. */
  step: number;
  /** The loss of the TypeScript trainer's next step (the one the bundle's next/* draws belong to). */
  nextLoss: number;
  /** The bundle after that next step (no draws): what continue.py must reproduce after one step. */
  after: Uint8Array;
}

/** `backend`: cpu (the default) or wasm (the CLI's; much faster for the U-Net's convolutions). */
export async function exportAfter(
  overrides: Partial<Config>, stepsBefore: number, backend: 'cpu' | 'wasm' = 'cpu', extra: (c: Config) => SessionResources = () => ({}),
): Promise<ExportedRun> {
  if (backend === 'wasm') await initNodeBackend('wasm');
  else await tf.setBackend('cpu');
  // A constant lr unless a test asks for a decay (continueLrDecay.test.ts): many runs here continue past their
  // small budget, which continue.py refuses for a decaying lr without --budget or --lr-decay.
  const config = { ...DEFAULTS, lrDecay: 'constant', ...overrides } as Config;
  const resources = { ...(config.dataset === 'mnist' ? loadImageResources(config, undefined, 20) : {}), ...extra(config) };
  const session = new TrainingSession(config, resources, 20);
  try {
    for (let i = 0; i < stepsBefore; i++) {
      const r = await session.trainStep();
      r.loss.dispose();
    }
    const bundle = await session.exportRunFile({ withNextDraws: true });
    const r = await session.trainStep();
    const nextLoss = (await r.loss.data())[0];
    r.loss.dispose();
    return { bundle, step: session.step - 1, nextLoss, after: await session.exportRunFile() };
  } finally {
    session.dispose();
  }
}
