// The Markdown summary of a bench report (results/latest.md, linked from the README).
import type { MemoryRun } from '../sections/memory';
import { methodsTable, type MethodsResult } from '../sections/methods';
import type { MnistQuality } from '../sections/mnist';
import { mnistMethodsTable, type MnistMethodsResult } from '../sections/mnistMethods';
import type { PageRun } from '../sections/page';
import type { QualityResult } from '../sections/quality';
import type { BenchReport, Measurement } from './report';

const fmtMs = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? '' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const row = (cells: (string | number | null | undefined)[]) => `| ${cells.map((c) => (c === null || c === undefined ? '' : String(c))).join(' | ')} |`;

function measurementTable(ms: Measurement[], withMode: boolean): string[] {
  const head = withMode ? ['where', 'backend', 'model', 'mode', 'batch', 'median ms', 'min-max ms', 'timed', 'status', 'note'] : ['where', 'backend', 'model', 'sampling', 'count', 'median ms', 'min-max ms', 'timed', 'status', 'note'];
  const lines = [row(head), row(head.map(() => '---'))];
  for (const m of ms) {
    const base = [m.where, m.backend, m.model];
    const rest = [m.status === 'ok' ? fmtMs(m.medianMs) : '', m.status === 'ok' ? `${fmtMs(m.minMs)}-${fmtMs(m.maxMs)}` : '', m.steps ?? '', m.status, m.note ?? ''];
    lines.push(row(withMode ? [...base, m.mode, m.batch, ...rest] : [...base, m.what === 'sample-1step' ? 'one-step' : 'four-step', m.batch, ...rest]));
  }
  return lines;
}

export function renderMarkdown(r: BenchReport): string {
  const s = r.sections as {
    memory?: MemoryRun[]; quality?: QualityResult; methods?: MethodsResult; mnist?: MnistQuality[]; mnistMethods?: MnistMethodsResult; page?: PageRun[]; pytorch?: Record<string, unknown>; notes?: string[];
  };
  const L: string[] = [];
  const m = r.machine;
  L.push(`# Benchmark results${r.quick ? ' (--quick)' : ''}`, '');
  L.push(`${r.date}, \`npm run --silent bench${r.quick ? ' -- --quick' : ''}\` on ${m.cpuModel} (${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}), Node ${m.node}, tfjs ${m.tfjs}; ${m.gpu}.`);
  L.push(`Load average at start ${m.loadAverageAtStart.join(' / ')}, at end ${r.loadAverageAtEnd.join(' / ')} (1/5/15 min): the CPU was shared with other work, so timings are noisy. Whole run ${Math.round(r.seconds)} s.`, '');
  L.push('## Goals (issue "seconds to a good sample"; null = not measured)', '', row(['goal', 'value']), row(['---', '---']));
  const cell = (v: unknown): string => Array.isArray(v) ? v.map((x) => (x === null ? 'null' : String(x))).join(' / ')
    : v !== null && typeof v === 'object' ? Object.entries(v).map(([k, x]) => `${k}: ${x ?? 'null'}`).join('; ') : v === null ? 'null' : String(v);
  for (const [k, v] of Object.entries(r.goals ?? {})) L.push(row([k, cell(v)]));
  L.push('');
  L.push('## Headline', '');
  for (const [k, v] of Object.entries(r.headline)) L.push(`- **${k}**: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  L.push('');
  const train = r.measurements.filter((x) => x.what === 'train-step');
  if (train.length) L.push('## Training throughput (ms per step, median after warm-up)', '', ...measurementTable(train, true), '');
  const sample = r.measurements.filter((x) => x.what.startsWith('sample'));
  if (sample.length) {
    L.push('## Sampling latency', '');
    L.push('One-step (`sample-1step`) and four-step (`sample-4step`, taus 5, 1.5, 0.4) sampling from fixed noise; 4,096 2D points or 64 digits.', '');
    L.push(...measurementTable(sample, false), '');
  }
  if (s.page?.length) {
    L.push('## Responsiveness of the page while training (Chromium, index.html)', '');
    L.push(row(['URL', 'backend', 'trained s', 'steps', 'long tasks >50 ms', 'longest ms', 'fps', 'p95 frame gap ms', 'snapshots/s', 'Pause -> counter stops ms', 'Pause -> button ms', 'steps after Pause']));
    L.push(row(new Array(12).fill('---')));
    for (const p of s.page) {
      L.push(p.status === 'ok'
        ? row([p.query, p.backend, p.trainSeconds, p.stepsDone, p.longTasks, p.longTaskMaxMs, p.framesPerSecond, p.frameGapP95Ms, p.snapshotsPerSecond, p.pauseToCounterStopMs, p.pauseToButtonMs, p.stepsAfterPause])
        : row([p.query, p.backend, p.trainSeconds, `error: ${p.note}`]));
    }
    L.push('', 'Goals (issue 3, on a real GPU): no main-thread task over 50 ms, at least 10 snapshots/s, Pause stops the counter within 100 ms.', '');
  }
  if (s.memory?.length) {
    L.push('## Memory (tf.memory() while training, Node wasm)', '');
    L.push(row(['config', 'steps', 'tensors start -> end', 'bytes start -> end', 'tensors / 1000 steps', 'bytes / 1000 steps', 'flat']));
    L.push(row(new Array(7).fill('---')));
    for (const x of s.memory) L.push(row([x.config, x.steps, `${x.tensorsStart} -> ${x.tensorsEnd}`, `${x.bytesStart} -> ${x.bytesEnd}`, x.tensorsPer1000Steps, x.bytesPer1000Steps, x.flat ? 'yes' : 'NO']));
    L.push('');
    const leak = (r.sections as { memoryLeak?: { tensorsPerSession: number; bytesPerSession: number; config: string } }).memoryLeak;
    if (leak) L.push(`Between sessions: ${leak.tensorsPerSession} tensors (${leak.bytesPerSession} bytes) stay allocated per built-and-disposed session (${leak.config}); the start counts above include those of earlier sections.`, '');
  }
  const q = s.quality;
  if (q) {
    L.push('## Quality against steps (2D, sliced Wasserstein distance, normalised units)', '');
    L.push(`Model ${q.setup.model}, batch ${q.setup.batch}, ${q.setup.steps} steps on ${q.setup.backend}, evaluated every ${q.setup.evalEvery} steps on ${q.setup.evalCount} samples (evaluation EMA), seeds ${q.setup.seeds.join(', ')} (averaged). "late" is the mean of the last ${q.setup.lateEvaluations} evaluation(s), the statistic the orderings compare. Steps to reach one-step / two-step SWD <= ${q.setup.level} are at the evaluation resolution; "-" = not reached.`, '');
    L.push(row(['dataset', 'variant', '1-step final', '2-step final', '1-step late', '2-step late', `steps to ${q.setup.level} (1-step)`, `steps to ${q.setup.level} (2-step)`, 'teacher ODE', 'floor']));
    L.push(row(new Array(10).fill('---')));
    for (const x of q.summary) L.push(row([x.dataset, x.label, x.final1, x.final2, x.late1, x.late2, x.stepsToLevel1 ?? '-', x.stepsToLevel2 ?? '-', x.swdTeacher, x.swdFloor]));
    L.push('', '### The paper\'s orderings', '');
    L.push(row(['dataset', 'claim', 'better (expected)', 'worse (expected)', 'verdict', 'note']));
    L.push(row(new Array(6).fill('---')));
    for (const o of q.orderings) L.push(row([o.dataset, o.claim, `${o.better.name} ${o.better.value}`, `${o.worse.name} ${o.worse.value}`, o.verdict === 'disagrees' ? '**disagrees**' : o.verdict, o.note]));
    L.push('');
  }
  if (s.methods) L.push('## Few-step methods side by side (2D, issue 13)', '', methodsTable(s.methods), '');
  if (s.mnist?.length) {
    L.push('## MNIST: shipped pretrained models (Frechet distance in the digit classifier\'s features)', '');
    L.push(row(['model', 'samples', 'FD 1-step', 'FD 2-step', 'floor (train vs held-out)', 'ceiling (noise)', 'confidence 1/2', 'label entropy 1/2 (nats)']));
    L.push(row(new Array(8).fill('---')));
    for (const x of s.mnist) {
      const qq = x.quality;
      L.push(qq ? row([x.model.toUpperCase(), x.samples, qq.fd1, qq.fd2, qq.fdFloor, qq.fdCeiling, `${qq.confidence1} / ${qq.confidence2}`, `${qq.labelEntropy1} / ${qq.labelEntropy2}`]) : row([x.model, x.samples, `error: ${x.error}`]));
    }
    L.push('');
  }
  if (s.mnistMethods) L.push('## MNIST: methods from the pretrained teacher after a fixed budget (issue 13)', '', mnistMethodsTable(s.mnistMethods), '', s.mnistMethods.setup.note, '');
  if (s.notes?.length) L.push('## Notes', '', ...s.notes.map((n) => `- ${n}`), '');
  return `${L.join('\n')}\n`;
}
