import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peekRunFile, RunFileError } from '../../core/run/runFile';
import { Rng } from '../../core/rng';
import { sampleSize } from '../../core/tensorUtil';
import { UsageError, resolveConfig, type ParsedArgs } from '../args';
import { checkOutDir, intFlag, openSession, runFilePath } from './common';
import { writeSamples } from './outputs';
import { decodeRunFile } from '../../core/run/runFile';
import { createNetwork } from '../../core/models/index';
import { methodFor } from '../../core/methods/registry';

/** Opens a saved run: its config (taus and seed may be overridden by flags) and its weights. */
export async function openRun(args: ParsedArgs, evalCount: number) {
  const path = runFilePath(args);
  const bytes = new Uint8Array(readFileSync(path));
  let peek;
  try {
    peek = peekRunFile(bytes);
  } catch (e) {
    throw new UsageError(`--run: ${(e as RunFileError).message}`);
  }
  if (!peek.config) throw new UsageError('--run: the file has no config; it is a bare weights file');
  const allowed = ['taus', 'seed', 'backend'];
  for (const k of Object.keys(args.config)) {
    if (!allowed.includes(k)) throw new UsageError(`--${k} cannot change a saved run (only --taus, --seed, --backend)`);
  }
  const config = resolveConfig(args.config, peek.config);
  const timeInputs = methodFor(peek.config.mode)?.timeInputs ?? 1;
  const points = decodeRunFile(bytes, createNetwork(peek.config, peek.config.dataset === 'mnist' ? [28, 28, 1] : [2], timeInputs)).points ?? undefined;
  const assetPath = typeof args.flags['mnist-asset'] === 'string' ? args.flags['mnist-asset'] : undefined;
  const { session, backend } = await openSession(config, { points }, { evalCount, assetPath });
  await session.importRunFile(bytes);
  return { session, backend, config };
}

export async function sampleCommand(args: ParsedArgs): Promise<number> {
  const out = checkOutDir(args);
  const count = intFlag(args, 'count', 2000);
  const { session, config } = await openRun(args, 1000);
  const rng = new Rng(config.seed, 'cli-samples');
  const size = sampleSize(session.data.dataShape);
  const samples = await session.sample({ initial: rng.normals(count * size), perTau: config.taus.map(() => rng.normals(count * size)) });
  mkdirSync(out, { recursive: true });
  const files = writeSamples(out, session, samples);
  writeFileSync(join(out, 'sample.json'), `${JSON.stringify({ count, taus: config.taus, files }, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ count, taus: config.taus, files })}\n`);
  session.dispose();
  return 0;
}

export async function evalCommand(args: ParsedArgs): Promise<number> {
  const count = intFlag(args, 'count', 2000);
  const { session, backend } = await openRun(args, count);
  // SWD, energy distance and the flow-map error (fme1: one step from T; fmeMean: its grid) in 2D; FD,
  // confidence and label entropy for digits.
  const q = await session.evaluate();
  const { image, fmeView: _view, ...swd } = q; // the view's point arrays are for the page
  process.stdout.write(`${JSON.stringify({ ...(image ? { step: q.step, ...image } : swd), backend, count })}\n`);
  session.dispose();
  return 0;
}

