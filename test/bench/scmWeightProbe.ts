// sCT / sCD with and without the learned adaptive weight w_phi (scmAdaptiveWeight): one-step / two-step SWD
// every 200 steps (2,000 samples, Node WASM, config defaults otherwise) and, with w_phi, w(t) of the EMA weights.
//   npx tsx test/bench/scmWeightProbe.ts <sct|scd> <learned|off> <seed> <steps> [dataset] ['<json overrides>']
import * as tf from '@tensorflow/tfjs';
import { DEFAULTS, type Config } from '../../src/core/config';
import { TrainingSession } from '../../src/core/run/session';
import { settle, useBackend } from './lib/nodeBackend';

const [mode, weight, seed, steps, dataset, overrides] = process.argv.slice(2);
await useBackend('wasm');
const c: Config = { ...DEFAULTS, dataset: (dataset ?? 'moons') as Config['dataset'], mode: mode as Config['mode'], scmAdaptiveWeight: weight as 'off' | 'learned', seed: Number(seed), steps: Number(steps), ...JSON.parse(overrides ?? '{}') };
const s = new TrainingSession(c, {}, 2000);
const out: string[] = [];
const t0 = performance.now();
for (let k = 1; k <= c.steps; k++) {
  await settle((await s.trainStep()).loss);
  if (k % 200 === 0) {
    const q = await s.evaluate();
    out.push(`${k}:${q.swd1.toFixed(4)}/${q.swd2.toFixed(4)}`);
  }
}
let wInfo = '';
if (weight === 'learned') {
  const p = await s.trainer!.evalEma.read();
  const W = p[p.length - 2], b = p[p.length - 1][0];
  const ts = [0.05, 0.3, 0.7, 1.1, 1.5];
  const freqs = Array.from({ length: c.timeFeatures / 2 }, (_, j) => 64 ** (j / (c.timeFeatures / 2 - 1)));
  const w = ts.map((t) => b + [...freqs.map((f) => Math.sin((f * t) / 32)), ...freqs.map((f) => Math.cos((f * t) / 32))].reduce((a, v, j) => a + v * W[j], 0));
  wInfo = ` w(t=${ts.join(',')})=${w.map((x) => x.toFixed(2)).join(',')}`;
}
console.log(`${mode} ${weight} seed ${seed}: ${out.join(' ')} (${((performance.now() - t0) / 1000).toFixed(0)} s)${wInfo}`);
s.dispose();
tf.disposeVariables();
