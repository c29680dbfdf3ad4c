// Milliseconds per training step of every method, measured in one process back to back (moons, page defaults,
// Node WASM), so the methods compare at the same machine load; the methods table's own column comes from
// runs made hours apart on a shared machine.   npx tsx test/bench/methodStepTimes.ts [steps]
import { DEFAULTS, withDatasetDefaults, type Config } from '../../src/core/config';
import { METHOD_IDS } from '../../src/core/methods/settings/index';
import { TrainingSession } from '../../src/core/run/session';
import { settle, useBackend } from './lib/nodeBackend';

const steps = Number(process.argv[2] ?? 60);
await useBackend('wasm');
const rows: string[] = [];
for (const mode of METHOD_IDS) {
  const set: Partial<Config> = { dataset: 'moons', seed: 1, mode, teacher: 'exact', steps: 1500 };
  const session = new TrainingSession(withDatasetDefaults({ ...DEFAULTS, ...set }, new Set(Object.keys(set))), {}, 200);
  // Time the method's own step, after ECT's exact pre-fit or sCM's diffusion pre-training (cheaper steps),
  // and after 20 steps that warm caches and the JIT.
  const c = session.config;
  const warm = 20 + (mode === 'ect' ? c.ectPrefitSteps : mode === 'scd' || mode === 'sct' ? c.scmPretrain : 0);
  const ms: number[] = [];
  for (let k = 0; k < warm + steps; k++) {
    const t0 = performance.now();
    await settle((await session.trainStep()).loss);
    if (k >= warm) ms.push(performance.now() - t0);
  }
  session.dispose();
  ms.sort((a, b) => a - b);
  rows.push(`| ${mode} | ${ms[ms.length >> 1].toFixed(1)} |`);
  console.error(`${mode}: ${ms[ms.length >> 1].toFixed(1)} ms/step`);
}
console.log(['| method | median ms per step (one process) |', '|---|---|', ...rows].join('\n'));
