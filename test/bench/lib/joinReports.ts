// What the scripts that join one section of several bench reports share (methodsTable.ts,
// mnistMethodsTable.ts): their arguments, the reports, each report's section, and the machine's load range.
import { readFileSync } from 'node:fs';
import type { BenchReport } from './report';

export interface JoinInput<T> {
  out: string;
  inputs: string[];
  reports: BenchReport[];
  /** The section `key` of each report, in the order given. */
  parts: T[];
  /** Every 1/5/15-minute load average at the start and end of the runs. */
  loads: number[];
}

/** Reads `<out.md> <report.json>...` from the command line; each report must have section `key`. */
export function readSectionOfReports<T>(script: string, key: string): JoinInput<T> {
  const [out, ...inputs] = process.argv.slice(2);
  if (!out || !out.endsWith('.md') || inputs.length === 0) throw new Error(`usage: npx tsx test/bench/${script} <out.md> <report.json>...`);
  const reports = inputs.map((f) => JSON.parse(readFileSync(f, 'utf8')) as BenchReport);
  const parts = reports.map((r, i) => {
    const section = (r.sections as Record<string, unknown>)[key] as T | undefined;
    if (!section) throw new Error(`${inputs[i]} has no ${key} section`);
    return section;
  });
  const loads = reports.flatMap((r) => [...r.machine.loadAverageAtStart, ...r.loadAverageAtEnd]);
  return { out, inputs, reports, parts, loads };
}
