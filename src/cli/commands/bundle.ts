// `cm export` and `cm import`: a run directory <-> one run bundle file (scripts/torch/run-bundle.md), the file that
// the page's "Export run" / "Import run" and scripts/torch/continue.py exchange. Both go through the session,
// so whatever they write has been read and restored by the core first.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError, type ParsedArgs } from '../args';
import { checkOutDir } from './common';
import { openRun } from './sampleEval';

function checkOutFile(args: ParsedArgs): string {
  const out = args.flags.out;
  if (typeof out !== 'string' || out === '') throw new UsageError('--out FILE (the bundle to write) is required');
  const file = resolve(out);
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) throw new UsageError(`--out: ${out} is a directory; export writes one file (e.g. ${join(out, 'run.bundle.safetensors')})`);
    if (!args.flags.force) throw new UsageError(`--out: ${out} exists (use --force to overwrite it)`);
  }
  return file;
}

/** Run directory (or file) -> bundle with the next step's draws, for continue.py's first-step check. */
export async function exportCommand(args: ParsedArgs): Promise<number> {
  const out = checkOutFile(args);
  const { session } = await openRun(args, 200);
  try {
    const bytes = await session.exportRunFile({ withNextDraws: true });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, bytes);
    process.stdout.write(`${JSON.stringify({ out, step: session.step, phase: session.phase, method: session.config.mode, bytes: bytes.length })}\n`);
  } finally {
    session.dispose();
  }
  return 0;
}

/** Bundle (from the page or continue.py) -> a run directory that `cm sample`, `eval` and `edit` read. */
export async function importCommand(args: ParsedArgs): Promise<number> {
  const out = checkOutDir(args);
  const { session, config } = await openRun(args, 200);
  try {
    const bytes = await session.exportRunFile();
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    writeFileSync(join(out, 'run.safetensors'), bytes);
    process.stdout.write(`${JSON.stringify({ out, step: session.step, method: config.mode, files: ['config.json', 'run.safetensors'] })}\n`);
  } finally {
    session.dispose();
  }
  return 0;
}
