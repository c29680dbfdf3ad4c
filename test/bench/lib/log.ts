// Progress for the person running the bench goes to stderr; stdout carries only the JSON report.
import { loadavg } from 'node:os';

const started = performance.now();

export function log(message: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(0).padStart(5);
  process.stderr.write(`[bench ${s}s | load ${loadavg()[0].toFixed(2)}] ${message}\n`);
}

export function elapsedSeconds(): number {
  return (performance.now() - started) / 1000;
}
