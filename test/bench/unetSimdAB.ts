// The GroupNorm kernels' row passes as WebAssembly SIMD against the same passes as JavaScript loops, in the
// MNIST U-Net CT step (batch 64) on Node WASM: two sessions in ONE process, alternating step by step with the
// switch flipped before each, median of the per-pair ratios. stepAB.ts cannot do this: both source trees
// would share the one registered kernel.
// Usage: npx tsx test/bench/unetSimdAB.ts [pairs=8]
import { settle, useBackend } from './lib/nodeBackend';
import { mnistConfig, openSession } from './lib/sessions';
import { setGroupNormSimd } from '../../src/core/models/groupNormLoops';

const pairs = Number(process.argv[2] ?? 8);
await useBackend('wasm');
const c = mnistConfig({ mode: 'ct' });
const sessions = [openSession(c, 16), openSession(c, 16)]; // [JavaScript passes, SIMD passes]
const ms: number[][] = [[], []];
const loss = [0, 0];
for (let i = 0; i < 2 + pairs; i++) {
  for (let k = 0; k < 2; k++) {
    setGroupNormSimd(k === 1);
    const t0 = performance.now();
    loss[k] = await settle((await sessions[k].trainStep()).loss);
    if (i >= 2) ms[k].push(performance.now() - t0);
  }
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`U-Net CT: JS passes ${median(ms[0]).toFixed(0)} ms, SIMD ${median(ms[1]).toFixed(0)} ms, SIMD/JS `
  + `${median(ms[1].map((v, i) => v / ms[0][i])).toFixed(3)} (median of ${pairs} pairs); loss after ${2 + pairs} steps: ${loss[0]} / ${loss[1]}`);
process.exit(0);
