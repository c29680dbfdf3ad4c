// Joins the `methods` sections of several bench reports (e.g. one run per method with CM_BENCH_METHODS, to keep
// each run short on a shared machine) into one table and one JSON file:
//   npx tsx test/bench/methodsTable.ts <out.md> <report.json>...
// The .json next to <out.md> holds the joined section (setup, rows, summary) and the source reports' dates.
import { writeFileSync } from 'node:fs';
import { readSectionOfReports } from './lib/joinReports';
import { methodsTable, type MethodsResult } from './sections/methods';

const { out, inputs, reports, parts, loads } = readSectionOfReports<MethodsResult>('methodsTable.ts', 'methods');
const setup = parts[0].setup;
for (const [i, p] of parts.entries()) {
  if (p.setup.budget !== setup.budget || p.setup.evalEvery !== setup.evalEvery || p.setup.evalCount !== setup.evalCount || p.setup.seeds.join() !== setup.seeds.join()) {
    throw new Error(`${inputs[i]} was run with another setup (budget, evaluation or seeds) than ${inputs[0]}`);
  }
}
const joined: MethodsResult = {
  setup, rows: parts.flatMap((p) => p.rows), summary: parts.flatMap((p) => p.summary), skipped: parts.flatMap((p) => p.skipped),
};
// The machine's load when the run that holds a method started (ms per step depends on it).
const loadOf = (method: string) => {
  const i = parts.findIndex((p) => p.rows.some((r) => r.method === method));
  return reports[i].machine.loadAverageAtStart[0].toFixed(1);
};
const m = reports[0].machine;
const md = [
  `# Few-step methods side by side${reports[0].quick ? ' (--quick)' : ''}`,
  '',
  `${reports.map((r) => r.date.slice(0, 16)).join(', ')}: \`npm run bench -- ${reports[0].quick ? '--quick ' : ''}--only=methods\`, one run per method (CM_BENCH_METHODS), `
    + `joined by \`test/bench/methodsTable.ts\`; ${m.cpuModel} (${m.cores} cores), Node ${m.node}, tfjs ${m.tfjs}. `
    + `Load average ${Math.min(...loads).toFixed(0)}-${Math.max(...loads).toFixed(0)} on ${m.cores} cores during the runs: the machine was shared, so ms per step is several times what an idle machine gives (compare within this table only).`,
  '',
  methodsTable(joined),
  '',
  setup.note,
  '',
  '| dataset | method | seed | final one-step SWD | final two-step SWD | teacher ODE SWD | one-step FME | mean FME | load at its run\'s start (1 min) |',
  '|---|---|---|---|---|---|---|---|---|',
  ...joined.rows.map((r) => `| ${r.dataset} | ${r.method} | ${r.seed} | ${r.finalSwd1} | ${r.finalSwd2} | ${r.swdTeacher} | ${r.fme1 ?? '-'} | ${r.fmeMean ?? '-'} | ${loadOf(r.method)} |`),
  '',
].join('\n');
writeFileSync(out, md);
writeFileSync(out.replace(/\.md$/, '.json'), `${JSON.stringify({ sources: reports.map((r) => r.date), methods: joined }, null, 1)}\n`);
console.log(`wrote ${out} and ${out.replace(/\.md$/, '.json')}`);
