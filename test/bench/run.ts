// `npm run bench [-- --quick] [--only=...] [--skip=...]`: measures the project as it stands. Prints the JSON
// report on stdout (use `npm run --silent bench` for stdout with nothing else), writes
// test/bench/results/<date>-<machine>[-quick].json and results/latest.md (latest-quick.md for --quick).
// Benchmarks only measure: nothing here asserts a speed, and nothing in `npm test` depends on it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startBenchBrowser, type BenchBrowser } from './lib/browser';
import { elapsedSeconds, log } from './lib/log';
import { machineInfo } from './lib/machine';
import { renderMarkdown } from './lib/markdown';
import { parseOptions, type Section } from './lib/options';
import { computeGoals, describeOurs, isReferenceBlas, torchPair, type TorchBlas } from './lib/goals';
import { latestRealGpu } from './lib/realGpu';
import type { BenchReport, Measurement } from './lib/report';
import { round } from './lib/stats';
import { browserSection } from './sections/browser';
import { webgpuFusedSection, type WebgpuFusedResult } from './sections/webgpuFused';
import { memorySection, type MemoryRun } from './sections/memory';
import { mnistSection } from './sections/mnist';
import { mnistMethodsSection } from './sections/mnistMethods';
import { nodeSection } from './sections/node';
import { pageSection, type PageRun } from './sections/page';
import { headlineSection, type HeadlineRun } from './sections/headline';
import { learningSection, type LearningResult } from './sections/learning';
import { methodsSection, type MethodsResult } from './sections/methods';
import { pytorchSection } from './sections/pytorch';
import { qualitySection, type QualityResult } from './sections/quality';

const opts = parseOptions(process.argv.slice(2));
const machine = machineInfo();
const measurements: Measurement[] = [];
const sections: Record<string, unknown> = {};
const notes: string[] = [];
log(`${opts.quick ? 'quick' : 'full'} run: ${[...opts.sections].join(', ')} on ${machine.cpuModel} (${machine.cores} cores)`);

async function section<T>(name: Section, run: () => Promise<T>): Promise<T | undefined> {
  if (!opts.sections.has(name)) return undefined;
  const t0 = performance.now();
  log(`--- ${name}`);
  try {
    return await run();
  } catch (e) {
    const message = (e as Error).stack ?? String(e);
    log(`section ${name} failed: ${message}`);
    sections[`${name}Error`] = message.split('\n').slice(0, 3).join(' ');
    return undefined;
  } finally {
    sections[`${name}Seconds`] = round((performance.now() - t0) / 1000, 1);
  }
}

const node = await section('node', () => nodeSection(opts.quick));
if (node) {
  measurements.push(...node.measurements);
  notes.push(...node.notes);
}
const torch = await section('pytorch', async () => pytorchSection(opts.quick));
if (torch) {
  measurements.push(...torch.measurements);
  sections.pytorch = torch.result;
}
const memory = await section('memory', () => memorySection(opts.quick));
if (memory) {
  sections.memory = memory.runs;
  sections.memoryLeak = memory.leak;
}
sections.quality = await section('quality', () => qualitySection(opts.quick));
sections.learning = await section('learning', () => learningSection(opts.quick));
sections.methods = await section('methods', () => methodsSection(opts.quick));
sections.mnist = await section('mnist', () => mnistSection(opts.quick));
sections.mnistMethods = await section('mnist-methods', () => mnistMethodsSection(opts.quick));

let browser: BenchBrowser | null = null;
if (['browser', 'webgpu', 'page', 'headline'].some((n) => opts.sections.has(n as Section))) {
  try {
    browser = await startBenchBrowser();
  } catch (e) {
    sections.browserError = `could not start Vite + Chromium: ${(e as Error).message}`;
    log(String(sections.browserError));
  }
}
if (browser) {
  const b = browser;
  const br = await section('browser', () => browserSection(b, opts.quick));
  if (br) {
    measurements.push(...br.measurements);
    sections.chromium = { version: b.version, webgpuAdapter: br.adapter };
  }
  sections.webgpu = await section('webgpu', () => webgpuFusedSection(b, opts.quick));
  sections.page = await section('page', () => pageSection(b, opts.quick));
  sections.headline = await section('headline', () => headlineSection(b, opts.quick));
  await b.close();
}

// ---- headline numbers
const headline: Record<string, unknown> = {};
const ok = (f: (m: Measurement) => boolean) => measurements.filter((m) => m.status === 'ok' && f(m));
const fastest = (xs: Measurement[]) => xs.sort((a, b) => a.medianMs! - b.medianMs!)[0];
const pyInfo = sections.pytorch as { available?: boolean; blas?: TorchBlas & { matmul512x256x256Ms: number }; mlp?: { parity?: unknown } } | undefined;
const referenceBlas = isReferenceBlas(pyInfo?.blas);
const mlpModel = (m: string) => m === 'mlp 4x256';
const onNode = { where: (w: string) => w === 'node', torchThreads: 1 };
for (const mode of ['CT', 'CD-Heun']) {
  const pair = torchPair(measurements, mlpModel, mode);
  const node = torchPair(measurements, mlpModel, mode, onNode);
  if (pair) {
    const { ours, torch } = pair;
    const peer = referenceBlas ? ' - NOT a peer: this PyTorch calls the reference BLAS' : '';
    const alsoNode = node && node.ours !== ours ? `; ${describeOurs(node.ours)} ${node.ours.medianMs!.toFixed(1)} ms vs ${node.torch.medianMs!.toFixed(1)} ms, ${(node.ours.medianMs! / node.torch.medianMs!).toFixed(2)}x` : '';
    headline[`2D ${mode} step, ours / PyTorch`] = `${(ours.medianMs! / torch.medianMs!).toFixed(2)}x (${describeOurs(ours)} ${ours.medianMs!.toFixed(1)} ms vs PyTorch on ${torch.threads ?? 1} thread(s) ${torch.medianMs!.toFixed(1)} ms${peer}${alsoNode}; goal: at most 2x)`;
  } else {
    const ours = fastest(ok((m) => m.where === 'node' && m.what === 'train-step' && mlpModel(m.model) && m.mode === mode));
    if (ours) headline[`2D ${mode} step, ours`] = `${describeOurs(ours)} ${ours.medianMs!.toFixed(1)} ms (PyTorch not measured: ${String((sections.pytorch as { reason?: string } | undefined)?.reason ?? 'section not run')})`;
  }
}
if (pyInfo?.blas) {
  headline['PyTorch build'] = `BLAS_INFO=${pyInfo.blas.buildBlas}, libblas ${pyInfo.blas.libblas}; one 512x256x256 matmul takes ${pyInfo.blas.matmul512x256x256Ms.toFixed(1)} ms on one thread`;
  if (referenceBlas) {
    notes.push('PyTorch here calls the reference (netlib) BLAS that Debian\'s python3-torch links when OpenBLAS is absent (install libopenblas0-pthread); it is several times slower for the MLP\'s dense layers, so the goals report no MLP ratio against it. Convolutions use oneDNN and are not affected.');
  }
}
if (pyInfo?.mlp?.parity) headline['PyTorch mirror parity (same params and draws)'] = pyInfo.mlp.parity;
const unet = torchPair(measurements, (m) => m === 'unet', 'CT');
const unetNode = torchPair(measurements, (m) => m === 'unet', 'CT', onNode);
if (unet) {
  const { ours, torch } = unet;
  const software = ours.backend === 'webgl' || ours.backend === 'webgpu' ? ' on a software adapter (no GPU here; says nothing about a real GPU)' : '';
  const alsoNode = unetNode && unetNode.ours !== ours ? `; ${describeOurs(unetNode.ours)} ${(unetNode.ours.medianMs! / 1000).toFixed(2)} s vs ${(unetNode.torch.medianMs! / 1000).toFixed(2)} s, ${(unetNode.ours.medianMs! / unetNode.torch.medianMs!).toFixed(2)}x` : '';
  headline['U-Net CT step (batch 64), ours / PyTorch CPU'] = `${(ours.medianMs! / torch.medianMs!).toFixed(2)}x (${describeOurs(ours)}${software} ${(ours.medianMs! / 1000).toFixed(2)} s vs PyTorch on ${torch.threads ?? 1} thread(s) ${(torch.medianMs! / 1000).toFixed(2)} s${alsoNode}; goal: at most 3x)`;
}
const inWorker = fastest(ok((m) => m.where === 'chromium-worker' && m.what === 'train-step' && m.model === 'mlp 4x256' && m.mode === 'CT'));
if (inWorker) headline['2D CT step in the app\'s worker (fastest backend)'] = `${inWorker.backend} ${inWorker.medianMs!.toFixed(1)} ms`;
const kernels = ok((m) => m.where === 'node' && m.backend === 'wasm' && m.model === 'mlp 4x256' && m.kernels !== undefined);
for (const k of kernels) {
  headline[`kernels per 2D ${k.mode} step (Node wasm)`] = k.kernels;
  notes.push(`Node wasm, 2D ${k.mode} step: ${k.kernels} kernels; most time in ${k.topKernels!.slice(0, 5).map((t) => `${t.name} (${t.count}x, ${t.ms} ms)`).join(', ')}.`);
}
for (const k of ok((m) => m.where === 'node' && m.backend === 'cpu' && m.model.startsWith('unet') && m.kernels !== undefined)) {
  notes.push(`Node cpu, ${k.model} ${k.mode} step at batch ${k.batch}: ${k.kernels} kernels; most time in ${k.topKernels!.slice(0, 4).map((t) => `${t.name} (${t.count}x, ${t.ms} ms)`).join(', ')}.`);
}
const mem = sections.memory as MemoryRun[] | undefined;
const leak = sections.memory ? (sections.memoryLeak as { tensorsPerSession: number } | undefined) : undefined;
if (leak && leak.tensorsPerSession > 0) {
  headline['tensors left behind per disposed session'] = leak.tensorsPerSession;
  notes.push(`Each TrainingSession leaves ${leak.tensorsPerSession} tensors (and their memory) behind after dispose() (one step and one checkpoint restore): the app's worker builds a session on every configure, reset and backend switch.`);
}
if (mem?.length) headline['memory flat over training'] = mem.every((x) => x.flat) ? `yes (${mem.map((x) => `${x.tensorsPer1000Steps} tensors/1000 steps over ${x.steps}`).join('; ')})` : `NO: ${mem.filter((x) => !x.flat).map((x) => `${x.config}: ${x.tensorsPer1000Steps} tensors/1000 steps`).join('; ')}`;
const quality = sections.quality as QualityResult | undefined;
if (quality) {
  const count = (v: string) => quality.orderings.filter((o) => o.verdict === v).length;
  headline["paper's orderings"] = `${count('agrees')} agree, ${count('disagrees')} disagree, ${count('inconclusive')} inconclusive (of ${quality.orderings.length}; see the table)`;
}
const page = sections.page as PageRun[] | undefined;
for (const p of page ?? []) {
  if (p.status === 'ok') headline[`page while training (${p.backend})`] = `${p.longTasks} long tasks (max ${p.longTaskMaxMs} ms), ${p.framesPerSecond} fps, ${p.snapshotsPerSecond} snapshots/s, Pause -> counter stops ${p.pauseToCounterStopMs} ms`;
}
const learning = sections.learning as LearningResult | undefined;
for (const row of learning?.summary ?? []) {
  headline[`steps to one-step SWD <= 1.5x teacher, ${row.dataset} ${row.mode} (Node wasm, median of seeds)`] = row.medianSteps === null
    ? `not reached within ${learning!.setup.budget} steps (${row.reached} seeds)` : `${row.medianSteps} steps (${row.reached} seeds reached; ${row.medianTrainSeconds} s of training)`;
}
const methods = sections.methods as MethodsResult | undefined;
for (const row of methods?.summary ?? []) {
  headline[`method ${row.method} on ${row.dataset}: steps to one-/two-step SWD <= 1.5x teacher, one-step FME, ms/step`] =
    `${row.steps1 ?? `not within ${methods!.setup.budget}`} / ${row.steps2 ?? `not within ${methods!.setup.budget}`} (${row.reached1}, ${row.reached2} seeds), FME ${row.fme1 ?? '-'}, ${row.msPerStep} ms`;
}
const headlineRuns = sections.headline as HeadlineRun[] | undefined;
for (const r of headlineRuns ?? []) {
  headline[`page ${r.label}`] = r.status === 'ok'
    ? `${r.backend} (${r.backendReason ?? 'explicit choice'}): load -> first step ${r.pageLoadToFirstStepSeconds} s, Train -> first step ${r.trainToFirstStepSeconds} s${r.pageLoadToPretrainedSeconds !== null ? `, load -> pretrained digits ${r.pageLoadToPretrainedSeconds} s` : ''}${r.lastSwd1 !== null ? `, Train -> one-step SWD <= 1.5x teacher: ${r.secondsToQuality ?? `not within ${r.limitSeconds}`} s` : ''}`
    : `error: ${r.note}`;
}
sections.notes = notes;

const realGpu = latestRealGpu();
if (realGpu) notes.push(`Real-GPU goals from ${realGpu.file} (${realGpu.gpu}; scripts/gpu/run.sh, Node + Dawn, no browser).`);
const goals = computeGoals(measurements, pyInfo?.blas, headlineRuns, sections.webgpu as WebgpuFusedResult | undefined, realGpu);
const report: BenchReport = {
  version: 1, date: new Date().toISOString(), quick: opts.quick, machine, goals,
  loadAverageAtEnd: loadavg().map((x) => round(x, 2)), seconds: round(elapsedSeconds(), 1), sections, measurements, headline,
};
mkdirSync(opts.outDir, { recursive: true });
const file = join(opts.outDir, `${report.date.slice(0, 10)}-${machine.label}${opts.quick ? '-quick' : ''}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 1)}\n`);
// A quick run never replaces the full run's summary (the one the README links to).
const summary = join(opts.outDir, opts.quick ? 'latest-quick.md' : 'latest.md');
writeFileSync(summary, renderMarkdown(report));
log(`wrote ${file} and ${summary} (${Math.round(report.seconds)} s)`);
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0); // the wasm backend and Vite leave handles open
