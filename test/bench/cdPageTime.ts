// Where the page's seconds go for a 2D run, timed in Node WASM: ms per training step, per quality evaluation
// (the first one also scores the teacher ODE and builds the flow-map probe) and per view snapshot at the
// page's view settings. Used to size the dead time between Train and the quality report (issue 10 part 5).
// usage: npx tsx test/bench/cdPageTime.ts '<json overrides>' [--dataset=moons] [--steps=200]
import { validateConfig, withDatasetDefaults } from '../../src/core/config';
import { TrainingSession } from '../../src/core/run/session';
import { ProbeSet, computeSnapshot, teacherTrajectories } from '../../src/core/run/views';
import { settle, useBackend } from './lib/nodeBackend';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const overrides = JSON.parse(args.find((a) => !a.startsWith('--')) ?? '{}') as Record<string, unknown>;
const steps = Number(flag('steps', '200'));
// The page's defaults (src/worker/context.ts DEFAULT_VIEW; runBuild.ts evaluates 1,000 samples).
const VIEW = { probeCount: 1000, trajectoryCount: 12, consistencyTimes: [80, 10, 2, 0.5, 0.1], cursorT: 1, weights: 'ema' as const };

await useBackend('wasm');
const given = { dataset: flag('dataset', 'moons'), mode: 'cd', ...overrides };
const { config: parsed, errors } = validateConfig(given);
if (errors.length) throw new Error(errors.join('; '));
const config = withDatasetDefaults(parsed, new Set(Object.keys(given)));
const session = new TrainingSession(config, {}, 1000);
const time = async (f: () => Promise<unknown>) => { const t0 = performance.now(); await f(); return performance.now() - t0; };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const probes = new ProbeSet(session, VIEW.probeCount, VIEW.trajectoryCount);
  const trajMs = await time(async () => teacherTrajectories(session, probes));
  const traj = await teacherTrajectories(session, probes);
  for (let k = 0; k < 20; k++) await settle((await session.trainStep()).loss); // warm-up
  const stepMs: number[] = [];
  for (let k = 0; k < steps; k++) stepMs.push(await time(async () => settle((await session.trainStep()).loss)));
  const evalMs: number[] = [];
  for (let k = 0; k < 4; k++) evalMs.push(await time(() => session.evaluate()));
  const snapMs: number[] = [];
  for (let k = 0; k < 10; k++) snapMs.push(await time(() => computeSnapshot(session, probes, traj, VIEW)));
  console.log(JSON.stringify({
    dataset: config.dataset, width: config.width, depth: config.depth, batch: config.batchSize,
    stepMs: Math.round(median(stepMs) * 10) / 10, firstEvalMs: Math.round(evalMs[0]), evalMs: Math.round(median(evalMs.slice(1))),
    snapshotMs: Math.round(median(snapMs) * 10) / 10, teacherTrajectoriesMs: Math.round(trajMs),
  }));
} finally {
  session.dispose();
}
