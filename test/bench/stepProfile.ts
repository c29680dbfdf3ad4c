// Quick per-step profile of the default 2D steps (CT and CD-Heun, 4x256, batch 512): kernels per step with a
// per-kernel histogram (cpu backend, tf.profile) and the median ms/step on Node WASM.
// Usage: npx tsx test/bench/stepProfile.ts [steps=20]
import * as tf from '@tensorflow/tfjs';
import { DEFAULTS, type Config } from '../../src/core/config';
import { settle, useBackend } from './lib/nodeBackend';
import { openSession } from './lib/sessions';

const steps = Number(process.argv[2] ?? 20);
const configs: [string, Config][] = [
  ['CT', { ...DEFAULTS, mode: 'ct' }],
  ['CD-Heun', { ...DEFAULTS, mode: 'cd', solver: 'heun' }],
];

async function histogram(c: Config): Promise<{ total: number; byName: Record<string, number> }> {
  const s = openSession(c, 16);
  await settle((await s.trainStep()).loss);
  const prof = await tf.profile(async () => settle((await s.trainStep()).loss));
  s.dispose();
  const byName: Record<string, number> = {};
  let total = 0;
  for (const k of prof.kernels) {
    if (!tf.getKernel(k.name, tf.getBackend())) continue;
    total++;
    byName[k.name] = (byName[k.name] ?? 0) + 1;
  }
  return { total, byName };
}

async function medianMs(c: Config): Promise<number> {
  const s = openSession(c, 16);
  for (let i = 0; i < 5; i++) await settle((await s.trainStep()).loss);
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await settle((await s.trainStep()).loss);
    times.push(performance.now() - t0);
  }
  s.dispose();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

await useBackend('cpu');
for (const [label, c] of configs) {
  const h = await histogram(c);
  const top = Object.entries(h.byName).sort((a, b) => b[1] - a[1]).map(([n, k]) => `${n} ${k}`).join(', ');
  console.log(`${label}: ${h.total} kernels (cpu): ${top}`);
}
await useBackend('wasm');
for (const [label, c] of configs) console.log(`${label}: ${(await medianMs(c)).toFixed(1)} ms/step (wasm, median of ${steps})`);
if (process.argv.includes('--times')) {
  for (const [label, c] of configs) {
    const s = openSession(c, 16);
    for (let i = 0; i < 3; i++) await settle((await s.trainStep()).loss);
    const prof = await tf.profile(async () => settle((await s.trainStep()).loss));
    s.dispose();
    const ms: Record<string, number> = {};
    for (const k of prof.kernels) if (tf.getKernel(k.name, 'wasm')) ms[k.name] = (ms[k.name] ?? 0) + (Number(k.kernelTimeMs) || 0);
    console.log(`${label} wasm kernel ms: ${Object.entries(ms).sort((a, b) => b[1] - a[1]).map(([n, v]) => `${n} ${v.toFixed(2)}`).join(', ')}`);
  }
}
process.exit(0);
