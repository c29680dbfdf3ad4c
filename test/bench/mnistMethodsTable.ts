// Joins the `mnist-methods` sections of several bench reports (one run per method with CM_BENCH_METHODS, so
// that a slow machine keeps the methods already done) into one table and one JSON file:
//   [CM_BENCH_NOTE="how the budget was chosen"] npx tsx test/bench/mnistMethodsTable.ts <out.md> <report.json>...
// The .json next to <out.md> holds the joined section and the source reports' dates.
import { writeFileSync } from 'node:fs';
import { readSectionOfReports } from './lib/joinReports';
import { joinMnistMethods, mnistMethodsTable, type MnistMethodsResult } from './sections/mnistMethods';

const { out, reports, parts, loads } = readSectionOfReports<MnistMethodsResult>('mnistMethodsTable.ts', 'mnistMethods');
const joined = joinMnistMethods(parts);
const floorOf = (r: MnistMethodsResult) => r.rows.find((x) => x.atEnd)?.atEnd?.fdFloor;
// How the budget was chosen (free text, e.g. the measured step times), from CM_BENCH_NOTE.
const note = process.env.CM_BENCH_NOTE;
const m = reports[0].machine;
const md = [
  `# MNIST: few-step methods from the pretrained teacher after a fixed budget${reports[0].quick ? ' (--quick)' : ''}`,
  '',
  `${reports.map((r) => r.date.slice(0, 16)).join(', ')}: \`CM_BENCH_MNIST_STEPS=${joined.setup.steps} npm run bench -- ${reports[0].quick ? '--quick ' : ''}--only=mnist-methods\`, `
    + `one run per method (CM_BENCH_METHODS), joined by \`test/bench/mnistMethodsTable.ts\`; ${m.cpuModel} (${m.cores} cores), Node ${m.node}, tfjs ${m.tfjs}. `
    + `Load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} on ${m.cores} cores during the runs (shared machine: ms per step is more than an idle machine gives).`,
  '',
  mnistMethodsTable(joined),
  '',
  joined.setup.note,
  '',
  `FD grows as the sample count falls: the floor (train vs held-out digits, ${joined.setup.samples} each) is ${floorOf(joined) ?? '-'} here, `
    + 'so compare rows within this table, not with the mnist section\'s 500-sample FDs or the README\'s 1,000-sample ones.',
  '',
  ...(note ? [note, ''] : []),
].join('\n');
writeFileSync(out, md);
writeFileSync(out.replace(/\.md$/, '.json'), `${JSON.stringify({ sources: reports.map((r) => r.date), ...(note ? { note } : {}), mnistMethods: joined }, null, 1)}\n`);
console.log(`wrote ${out} and ${out.replace(/\.md$/, '.json')}`);
