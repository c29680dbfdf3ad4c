// Steps to quality from the command line, for reviewing defaults: one line of JSON per run.
// usage: npx tsx test/bench/stepsToQuality.ts '<json overrides of DEFAULTS>' [--datasets=moons,eight-gaussians]
//        [--modes=cd,ct] [--seeds=1,2,3] [--budget=800] [--every=25] [--eval-count=1000] [--full]
// The run's step budget (`steps`, which the lr decay and the N(k) schedules stretch over) is --budget unless
// the overrides set it (e.g. {"steps":2000}: the page's budget, trained and evaluated only to --budget).
import { validateConfig, withDatasetDefaults, type Config } from '../../src/core/config';
import { useBackend } from './lib/nodeBackend';
import { stepsToQuality } from './lib/stepsToQuality';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const overrides = JSON.parse(args.find((a) => !a.startsWith('--')) ?? '{}') as Partial<Config>;
const budget = Number(flag('budget', '800'));
const every = Number(flag('every', '25'));
const evalCount = Number(flag('eval-count', '1000'));

await useBackend('wasm');
for (const dataset of flag('datasets', 'moons,eight-gaussians').split(',')) {
  for (const mode of flag('modes', 'cd,ct').split(',')) {
    for (const seed of flag('seeds', '1,2,3').split(',').map(Number)) {
      const given = { steps: budget, ...overrides, dataset, mode, seed };
      const { config: parsed, errors } = validateConfig(given as Record<string, unknown>);
      if (errors.length) throw new Error(errors.join('; '));
      const config = withDatasetDefaults(parsed, new Set(Object.keys(given))); // as the page and the CLI
      const r = await stepsToQuality(config, { budget, evalEvery: every, evalCount, full: args.includes('--full') });
      const at = (k: number) => r.curve.find((p) => p.step === k)?.swd1 ?? null;
      const round = (v: number | null) => (v === null ? null : Math.round(v * 10000) / 10000);
      console.log(JSON.stringify({
        dataset, mode, seed, steps: r.steps, trainSeconds: Math.round(r.trainSeconds * 10) / 10, teacher: round(r.swdTeacher),
        swd200: round(at(200)), swd400: round(at(400)), swd600: round(at(600)), swd800: round(at(800)), last: round(r.curve.at(-1)?.swd1 ?? null),
        last2: round(r.curve.at(-1)?.swd2 ?? null), curve: r.curve.map((p) => round(p.swd1)), curve2: r.curve.map((p) => round(p.swd2)),
        seconds: r.curve.map((p) => Math.round(p.trainSeconds * 10) / 10),
      }));
    }
  }
}
