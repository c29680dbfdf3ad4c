// `cm edit`: zero-shot editing (Algorithm 4, reference section 9) with a saved run. Everything is checked
// and computed before the first byte is written, so bad input (exit 2) leaves --out untouched.
// MNIST: inpaint | superres | denoise | interpolate | stroke, as PNG strips. 2D: inpaint (--fix) | project.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EditError, type EditRange } from '../../core/edit/index';
import { UsageError, type ParsedArgs } from '../args';
import { checkOutDir } from './common';
import { openRun } from './sampleEval';
import { IMAGE_TASKS, TASKS_2D, type Files, stringFlag } from './editFlags';
import { editImages } from './editImages';
import { edit2d } from './edit2d';

export async function editCommand(args: ParsedArgs): Promise<number> {
  const out = checkOutDir(args);
  const task = stringFlag(args, 'task');
  if (!task) throw new UsageError(`--task is required (${IMAGE_TASKS.join('|')} for MNIST runs, ${TASKS_2D.join('|')} for 2D runs)`);
  const { session, config, backend } = await openRun(args, 2000);
  try {
    const range: EditRange = { eps: config.eps, T: config.T };
    const files: Files = new Map();
    let summary: Record<string, unknown>;
    try {
      summary = session.dataset2d ? await edit2d(args, session, task, range, files) : await editImages(args, session, task, range, files);
    } catch (e) {
      if (e instanceof EditError) throw new UsageError(e.message);
      throw e;
    }
    mkdirSync(out, { recursive: true });
    for (const [name, bytes] of files) writeFileSync(join(out, name), bytes);
    const json = { task, run: resolve(String(args.flags.run)), backend, ...summary, files: [...files.keys(), 'edit.json'] };
    writeFileSync(join(out, 'edit.json'), `${JSON.stringify(json, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(json)}\n`);
    return 0;
  } finally {
    session.dispose();
  }
}
