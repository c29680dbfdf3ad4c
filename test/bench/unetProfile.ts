// Per-kernel profile of the MNIST U-Net CT step (default U-Net, batch 64) on Node WASM: count and ms per
// kernel name over one step (tf.profile; wasm kernel times are host wall-clock per launch), plus the median
// step time. Usage: npx tsx test/bench/unetProfile.ts [steps=5] [--shapes=Conv2D,Transpose] (those kernels'
// launches one by one with input shapes)
import * as tf from '@tensorflow/tfjs';
import { settle, useBackend } from './lib/nodeBackend';
import { mnistConfig, openSession } from './lib/sessions';

const steps = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 5);
await useBackend('wasm');
const s = openSession(mnistConfig({ mode: 'ct' }), 16);
for (let i = 0; i < 2; i++) await settle((await s.trainStep()).loss);
const times: number[] = [];
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  await settle((await s.trainStep()).loss);
  times.push(performance.now() - t0);
}
const prof = await tf.profile(async () => settle((await s.trainStep()).loss));
s.dispose();
const rows: Record<string, { n: number; ms: number }> = {};
let total = 0;
for (const k of prof.kernels) {
  if (!tf.getKernel(k.name, 'wasm')) continue;
  const r = (rows[k.name] ??= { n: 0, ms: 0 });
  r.n++;
  r.ms += Number(k.kernelTimeMs) || 0;
  total += Number(k.kernelTimeMs) || 0;
}
times.sort((a, b) => a - b);
console.log(`U-Net CT b64 wasm: median ${times[Math.floor(times.length / 2)].toFixed(0)} ms/step over ${steps}; `
  + `profiled step: ${prof.kernels.length} launches, ${total.toFixed(0)} ms in kernels`);
for (const [n, r] of Object.entries(rows).sort((a, b) => b[1].ms - a[1].ms)) console.log(`${n.padEnd(28)} ${String(r.n).padStart(4)} ${r.ms.toFixed(1).padStart(8)} ms`);
const shapesArg = process.argv.find((a) => a.startsWith('--shapes='));
for (const name of shapesArg ? shapesArg.slice(9).split(',') : []) {
  for (const k of prof.kernels.filter((q) => q.name === name)) {
    console.log(`${name} ${JSON.stringify(k.inputShapes)} -> ${JSON.stringify(k.outputShapes)} ${(Number(k.kernelTimeMs) || 0).toFixed(1)} ms`);
  }
}
process.exit(0);
