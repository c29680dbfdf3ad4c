// Which multistep tau suits 2D data? Trains one run per dataset, mode and seed at the page's settings, then
// scores its two-step samples at each tau on the same noise (SWD against the run's own fresh data). One line of
// JSON per run. usage (Node WASM, as the CLI):
//   npx tsx test/bench/tauProbe.ts [--datasets=moons,eight-gaussians] [--modes=cd,ct] [--seeds=1,2]
//        [--budget=2000] [--taus=0.2,0.4,0.585,0.8,1.2] [--eval-count=4000]
import { validateFields, withDatasetDefaults, type Config } from '../../src/core/config';
import { TrainingSession } from '../../src/core/run/session';
import { settle, useBackend } from './lib/nodeBackend';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const list = (name: string, fallback: string) => flag(name, fallback).split(',');
const budget = Number(flag('budget', '2000'));
const evalCount = Number(flag('eval-count', '4000'));
const taus = list('taus', '0.2,0.4,0.585,0.8,1.2').map(Number);
const r4 = (v: number) => Math.round(v * 10000) / 10000;

await useBackend('wasm');
for (const dataset of list('datasets', 'moons,eight-gaussians')) {
  for (const mode of list('modes', 'cd,ct')) {
    for (const seed of list('seeds', '1,2').map(Number)) {
      const { config: parsed, errors } = validateFields({ dataset, mode, seed, steps: budget, teacher: 'exact' });
      if (errors.length) throw new Error(errors.join('; '));
      const config: Config = withDatasetDefaults(parsed, new Set());
      const s = new TrainingSession(config, {}, evalCount);
      const t0 = performance.now();
      for (let k = 0; k < budget; k++) await settle((await s.trainStep()).loss);
      const swd2: Record<string, number> = {};
      let swd1 = Number.NaN;
      let teacher: number | null = null;
      for (const tau of taus) {
        // The session samples at config.taus; one tau keeps its one re-noising draw, so every tau sees the same noise.
        (s.config as Config).taus = [tau];
        const q = await s.evaluate();
        swd2[String(tau)] = r4(q.swd2);
        swd1 = r4(q.swd1);
        teacher = q.swdTeacher === null ? null : r4(q.swdTeacher);
      }
      const best = Object.entries(swd2).sort((a, b) => a[1] - b[1])[0][0];
      console.log(JSON.stringify({ dataset, mode, seed, budget, seconds: Math.round((performance.now() - t0) / 1000), swd1, teacher, swd2, best }));
      s.dispose();
    }
  }
}
