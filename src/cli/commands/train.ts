import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig, type ParsedArgs } from '../args';
import { ProgressBar } from '../progress';
import { checkOutDir, intFlag, openSession, readPointsFlag } from './common';
import { loadLpipsForRun } from '../lpipsNode';
import { writeSamples } from './outputs';
import { Rng } from '../../core/rng';
import { sampleSize } from '../../core/tensorUtil';
import { SessionError, type TrainingSession } from '../../core/run/session';
import { UsageError } from '../args';

/** Test hook: CM_DEBUG_DIVERGE_AT_STEP=k makes update k diverge (learning rate 1e30), to test exit code 3. */
function debugDivergeStep(): number | null {
  const raw = process.env.CM_DEBUG_DIVERGE_AT_STEP;
  if (raw === undefined || raw === '') return null;
  const k = Number(raw);
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`CM_DEBUG_DIVERGE_AT_STEP: "${raw}" must be an integer >= 1`);
  return k;
}

/**
 * After a non-finite loss at step `badStep` (or from the final weights): back to the last known-good state,
 * which alone is written. Exit code 3.
 */
async function stopDiverged(session: TrainingSession, out: string, what: string, badStep: number): Promise<number> {
  const file = join(out, 'run.safetensors');
  let restored: number;
  try {
    restored = session.recoverFromNonFinite(badStep);
  } catch (e) {
    if (!(e instanceof SessionError)) throw e;
    process.stderr.write(`\ncm: ${what}; training stopped. ${e.message}. No run file was written.\n`);
    return 3;
  }
  writeFileSync(file, await session.exportRunFile());
  process.stderr.write(`\ncm: ${what}; training stopped. The last good checkpoint (step ${restored}: finite weights, and a finite loss computed from them) is in ${file}. Try a lower --lr or --grad-clip.\n`);
  return 3;
}

export async function trainCommand(args: ParsedArgs): Promise<number> {
  // Everything is validated before the first byte is written.
  const points = readPointsFlag(args);
  const config = resolveConfig(points ? { ...args.config, dataset: 'custom' } : args.config);
  const out = checkOutDir(args);
  const divergeAt = debugDivergeStep();
  const evalCount = intFlag(args, 'eval-count', 1000);
  const resources = { points };
  const asset = typeof args.flags['mnist-asset'] === 'string' ? args.flags['mnist-asset'] : undefined;
  const lpips = config.metric === 'lpips' ? await loadLpipsForRun(args.flags['lpips-weights'], config) : null;
  if (lpips && !args.flags.quiet) process.stderr.write(`cm: LPIPS-${config.lpipsNet} at ${config.lpipsResolution} px: ${lpips.describe.join('; ')}\n`);
  const { session, backend } = await openSession(config, resources, { evalCount, assetPath: asset, lpips: lpips?.createDistance });

  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const metricsPath = join(out, 'metrics.jsonl');
  writeFileSync(metricsPath, '');
  const started = performance.now();
  const quiet = Boolean(args.flags.quiet);
  const is2d = session.dataset2d !== null;

  if (session.phase === 'teacher') {
    const bar = new ProgressBar('teacher', config.teacherSteps, quiet);
    while (session.phase === 'teacher') {
      const r = await session.trainStep();
      const loss = (await r.loss.data())[0];
      r.loss.dispose();
      if (!Number.isFinite(loss)) {
        process.stderr.write(`\ncm: the teacher's loss became ${loss} at teacher step ${r.step}; nothing more was trained (lower --teacher-lr)\n`);
        return 3;
      }
      appendFileSync(metricsPath, `${JSON.stringify({ phase: 'teacher', step: r.step, loss })}\n`);
      bar.update(r.step, `loss ${loss.toExponential(3)}`);
    }
    bar.finish();
  }

  const bar = new ProgressBar('train', config.steps, quiet);
  let last: Record<string, number | null> = {};
  for (let k = 1; k <= config.steps; k++) {
    if (divergeAt === session.step + 1) session.forceDivergenceNextStep();
    const r = await session.trainStep();
    const loss = (await r.loss.data())[0];
    r.loss.dispose();
    if (!Number.isFinite(loss)) return stopDiverged(session, out, `the loss became ${loss} at step ${r.step}`, r.step);
    await session.noteFiniteLoss(Math.max(1, Math.min(config.evalEvery, 100)), r.step);
    const line: Record<string, number | string | null> = { phase: 'student', step: r.step, loss, N: r.N, mu: r.mu, lr: r.lr };
    if (k % config.evalEvery === 0 || k === config.steps) {
      const q = await session.evaluate();
      last = is2d ? { swd1: q.swd1, swd2: q.swd2, swdTeacher: q.swdTeacher, swdFloor: q.swdFloor, energy1: q.energy1, energy2: q.energy2, fme1: q.fme1 ?? null, fmeMean: q.fmeMean ?? null } : { ...q.image! };
      Object.assign(line, last);
    }
    appendFileSync(metricsPath, `${JSON.stringify(line)}\n`);
    const q = last.swd1 ?? last.fd1;
    bar.update(k, `loss ${loss.toExponential(3)} N ${r.N}${q != null ? ` ${is2d ? 'swd1' : 'fd1'} ${q.toFixed(4)}` : ''}`);
  }
  bar.finish();
  const seconds = (performance.now() - started) / 1000;
  // The saved run must be known good too: the loss computed from the final weights (one step, undone).
  if (session.trainer && !(await session.verifyCurrentState())) {
    return stopDiverged(session, out, `the loss computed from the final weights (step ${session.step}) is not finite`, session.step + 1);
  }

  const count = intFlag(args, 'count', is2d ? 2000 : 64); // a grid of digits; thousands of U-Net samples on the CPU take minutes
  const rng = new Rng(config.seed, 'final-samples');
  const size = sampleSize(session.data.dataShape);
  const noise = { initial: rng.normals(count * size), perTau: config.taus.map(() => rng.normals(count * size)) };
  const samples = await session.sample(noise);
  const files = writeSamples(out, session, samples);
  writeFileSync(join(out, 'run.safetensors'), await session.exportRunFile());
  const summary = {
    steps: session.step,
    teacherSteps: session.teacherStep,
    seconds,
    msPerStep: (1000 * seconds) / Math.max(1, session.step + session.teacherStep),
    backend,
    mode: config.mode,
    dataset: config.dataset,
    ...last,
    files: ['config.json', 'metrics.jsonl', ...files, 'run.safetensors', 'summary.json'],
  };
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  session.dispose();
  return 0;
}
