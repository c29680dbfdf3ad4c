#!/usr/bin/env node
// `npm run cm -- <command> ...`: scripted experiments on the same core as the playground.
// Exit codes: 0 ok, 2 bad input (nothing written), 3 training stopped on a non-finite loss, 1 other failure.
import { parseArgs, helpText, UsageError } from './args';
import { trainCommand } from './commands/train';
import { sampleCommand, evalCommand } from './commands/sampleEval';
import { editCommand } from './commands/edit';
import { exportCommand, importCommand } from './commands/bundle';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    return usage(e);
  }
  if (parsed.flags.help || parsed.command === 'help' || parsed.command === '--help') {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  try {
    switch (parsed.command) {
      case 'train':
        return await trainCommand(parsed);
      case 'sample':
        return await sampleCommand(parsed);
      case 'eval':
        return await evalCommand(parsed);
      case 'edit':
        return await editCommand(parsed);
      case 'export':
        return await exportCommand(parsed);
      case 'import':
        return await importCommand(parsed);
      default:
        throw new UsageError(`unknown command "${parsed.command}" (train, sample, eval, edit, export, import, help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) return usage(e);
    process.stderr.write(`cm: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}

function usage(e: unknown): number {
  process.stderr.write(`cm: ${(e as Error).message}\n(run "npm run cm -- help" for all flags)\n`);
  return 2;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
