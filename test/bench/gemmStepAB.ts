// The own matrix product (simdGemm.ts) against XNNPACK's in the 2D steps on Node WASM: the bench's (CT and
// CD-Heun, 4x256, batch 512) and the page's moons defaults (4x128; CD batch 256, CT 512): two sessions in ONE process, alternating step by step with the switch flipped
// before each, median of the per-pair ratios (stepAB.ts cannot do this: one registered kernel per name).
// Usage: npx tsx test/bench/gemmStepAB.ts [pairs=40]
import { DEFAULTS, withDatasetDefaults, type Config } from '../../src/core/config';
import { setOwnGemm } from '../../src/core/models/hostMatMul';
import { relaxedSimdAvailable } from '../../src/core/models/simdGemm';
import { settle, useBackend } from './lib/nodeBackend';
import { openSession } from './lib/sessions';

const pairs = Number(process.argv[2] ?? 40);
await useBackend('wasm');
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const page = (mode: 'cd' | 'ct'): Config => withDatasetDefaults({ ...DEFAULTS, dataset: 'moons', mode }, new Set(['dataset', 'mode']));
const configs: [string, Config][] = [
  ['bench CT', { ...DEFAULTS, mode: 'ct', batchSize: 512 }],
  ['bench CD-Heun', { ...DEFAULTS, mode: 'cd', solver: 'heun', batchSize: 512 }],
  ['page moons CD', page('cd')],
  ['page moons CT', page('ct')],
];
console.log(`relaxed SIMD (FMA): ${relaxedSimdAvailable()}`);
for (const [label, c] of configs) {
  const sessions = [openSession(c, 16), openSession(c, 16)]; // [XNNPACK, own]
  const ms: number[][] = [[], []];
  const loss = [0, 0];
  for (let i = 0; i < 5 + pairs; i++) {
    for (let k = 0; k < 2; k++) {
      setOwnGemm(k === 1);
      const t0 = performance.now();
      loss[k] = await settle((await sessions[k].trainStep()).loss);
      if (i >= 5) ms[k].push(performance.now() - t0);
    }
  }
  sessions.forEach((s) => s.dispose());
  console.log(`${label} (${c.depth}x${c.width}, batch ${c.batchSize}): XNNPACK ${median(ms[0]).toFixed(1)} ms, own ${median(ms[1]).toFixed(1)} ms, own/XNNPACK `
    + `${median(ms[1].map((v, i) => v / ms[0][i])).toFixed(3)} (median of ${pairs} pairs); loss after ${5 + pairs} steps: ${loss[0]} / ${loss[1]}`);
}
setOwnGemm(true);
process.exit(0);
