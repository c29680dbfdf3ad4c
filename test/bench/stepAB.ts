// Old vs new default 2D step on Node WASM in ONE process, alternating step by step (a loaded machine hurts
// both sides alike), median of the per-pair ratios. The old side is another source tree, e.g.:
//   mkdir -p /tmp/base && git archive HEAD~3 src | tar -x -C /tmp/base && ln -sfn "$PWD/node_modules" /tmp/base/node_modules
//   npx tsx test/bench/stepAB.ts /tmp/base [pairs=40] [--every] [--unet]
// --unet: the MNIST U-Net CT step (batch 64) instead of the 2D steps; each tree loads its own MNIST resources.
// (the symlink makes both trees load the same tfjs, so they share one engine and backend). Kernels registered
// under one name by both trees are shared (the first registration wins), so a change inside a host kernel
// needs another way (e.g. unetSimdAB.ts).
import * as tf from '@tensorflow/tfjs';
import { DEFAULTS, type Config } from '../../src/core/config';
import { TrainingSession } from '../../src/core/run/session';
import { useBackend } from './lib/nodeBackend';
import { mnistConfig } from './lib/sessions';
import { loadImageResources } from '../../src/cli/imageResources';

const [base, pairsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!base) throw new Error('usage: npx tsx test/bench/stepAB.ts <old source tree> [pairs] [--every] [--unet]');
const unet = process.argv.includes('--unet');
const pairs = Number(pairsArg ?? 40);
const every = process.argv.includes('--every') ? { timeConditioning: 'every-layer' as const } : {};
const Old = ((await import(`${base}/src/core/run/session.ts`)) as { TrainingSession: typeof TrainingSession }).TrainingSession;
const oldResources = ((await import(`${base}/src/cli/imageResources.ts`)) as { loadImageResources: typeof loadImageResources }).loadImageResources;

await useBackend('wasm');
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const configs: [string, Config][] = unet ? [['U-Net CT', mnistConfig({ mode: 'ct' })]] : [
  ['CT', { ...DEFAULTS, mode: 'ct', ...every }],
  ['CD-Heun', { ...DEFAULTS, mode: 'cd', solver: 'heun', ...every }],
];
for (const [label, c] of configs) {
  const images = c.dataset === 'mnist';
  const sessions = [
    new Old(c, images ? oldResources(c, undefined, 16) : {}, 16),
    new TrainingSession(c, images ? loadImageResources(c, undefined, 16) : {}, 16),
  ];
  const ms: number[][] = [[], []];
  const loss: number[] = [0, 0];
  const warm = unet ? 2 : 5;
  for (let i = 0; i < warm + pairs; i++) {
    for (let k = 0; k < 2; k++) {
      const t0 = performance.now();
      const r = await sessions[k].trainStep();
      loss[k] = (await r.loss.data())[0];
      r.loss.dispose();
      if (i >= warm) ms[k].push(performance.now() - t0);
    }
  }
  sessions.forEach((s) => s.dispose());
  const ratios = ms[1].map((v, i) => v / ms[0][i]).sort((a, b) => a - b);
  const ratio = median(ratios);
  const q = (f: number) => ratios[Math.floor(f * (ratios.length - 1))].toFixed(3);
  console.log(`${label}: old ${median(ms[0]).toFixed(1)} ms, new ${median(ms[1]).toFixed(1)} ms, new/old ${ratio.toFixed(3)} `
    + `[quartiles ${q(0.25)} - ${q(0.75)}] `
    + `(median of ${pairs} pairs); loss after ${warm + pairs} steps: old ${loss[0]}, new ${loss[1]}`);
}
console.log(`tfjs ${tf.version.tfjs}`);
process.exit(0);
