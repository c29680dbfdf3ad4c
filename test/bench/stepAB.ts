// Old vs new default 2D step on Node WASM in ONE process, alternating step by step (a loaded machine hurts
// both sides alike), median of the per-pair ratios. The old side is another source tree, e.g.:
//   mkdir -p /tmp/base && git archive HEAD~3 src | tar -x -C /tmp/base && ln -sfn "$PWD/node_modules" /tmp/base/node_modules
//   npx tsx test/bench/stepAB.ts /tmp/base [pairs=40] [--every]
// (the symlink makes both trees load the same tfjs, so they share one engine and backend).
import * as tf from '@tensorflow/tfjs';
import { DEFAULTS, type Config } from '../../src/core/config';
import { TrainingSession } from '../../src/core/run/session';
import { useBackend } from './lib/nodeBackend';

const [base, pairsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!base) throw new Error('usage: npx tsx test/bench/stepAB.ts <old source tree> [pairs] [--every]');
const pairs = Number(pairsArg ?? 40);
const every = process.argv.includes('--every') ? { timeConditioning: 'every-layer' as const } : {};
const Old = ((await import(`${base}/src/core/run/session.ts`)) as { TrainingSession: typeof TrainingSession }).TrainingSession;

await useBackend('wasm');
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const configs: [string, Config][] = [
  ['CT', { ...DEFAULTS, mode: 'ct', ...every }],
  ['CD-Heun', { ...DEFAULTS, mode: 'cd', solver: 'heun', ...every }],
];
for (const [label, c] of configs) {
  const sessions = [new Old(c, {}, 16), new TrainingSession(c, {}, 16)];
  const ms: number[][] = [[], []];
  const loss: number[] = [0, 0];
  for (let i = 0; i < 5 + pairs; i++) {
    for (let k = 0; k < 2; k++) {
      const t0 = performance.now();
      const r = await sessions[k].trainStep();
      loss[k] = (await r.loss.data())[0];
      r.loss.dispose();
      if (i >= 5) ms[k].push(performance.now() - t0);
    }
  }
  sessions.forEach((s) => s.dispose());
  const ratio = median(ms[1].map((v, i) => v / ms[0][i]));
  console.log(`${label}: old ${median(ms[0]).toFixed(1)} ms, new ${median(ms[1]).toFixed(1)} ms, new/old ${ratio.toFixed(3)} `
    + `(median of ${pairs} pairs); loss after ${5 + pairs} steps: old ${loss[0]}, new ${loss[1]}`);
}
console.log(`tfjs ${tf.version.tfjs}`);
process.exit(0);
