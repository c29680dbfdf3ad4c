// Real-GPU measurement without a browser (issue 11 part 3): the project's own training steps on tfjs's webgpu
// backend over Dawn (dawn.node), or on the cpu backend to check this script itself. Prints one JSON object and
// writes it to --out (or --out-dir/realgpu-<gpu>.json). Bundled into one file with tfjs by bundle.ts;
// scripts/gpu/README.md says how to run it. The arguments are checked before tfjs and the core load (a bad
// argument costs nothing), and Dawn is installed before tfjs-backend-webgpu loads (measureRun.ts).
import { parseArgs, type MeasureArgs } from './measureArgs';

let a: MeasureArgs;
try {
  a = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`measure: ${(e as Error).message}`);
  process.exit(2);
}
const { measure } = await import('./measureRun');
const out = await measure(a);
console.log(JSON.stringify(out, null, 2));
// Dawn keeps Node alive while navigator.gpu is referenced; the JSON is out, so leave now.
process.exit(out.ok ? 0 : 1);
