// A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise.
export class ProgressBar {
  private lastPct = -1;
  private readonly start = Date.now();
  constructor(private readonly label: string, private readonly total: number, private readonly quiet = false) {}

  update(done: number, extra = ''): void {
    if (this.quiet) return;
    const frac = this.total > 0 ? Math.min(done / this.total, 1) : 1;
    const elapsed = (Date.now() - this.start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (this.total - done) : NaN;
    const text = `${this.label} ${done}/${this.total} ${(100 * frac).toFixed(0)}% ${elapsed.toFixed(0)}s elapsed${Number.isFinite(eta) ? `, ~${eta.toFixed(0)}s left` : ''} ${extra}`;
    if (process.stderr.isTTY) {
      const width = 24;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      process.stderr.write(`\r[${bar}] ${text}`.slice(0, process.stderr.columns ?? 160).padEnd(Math.min(process.stderr.columns ?? 80, 160)));
    } else {
      const pct = Math.floor(frac * 10) * 10;
      if (pct !== this.lastPct) {
        this.lastPct = pct;
        process.stderr.write(`${text}\n`);
      }
    }
  }

  finish(): void {
    if (!this.quiet && process.stderr.isTTY) process.stderr.write('\n');
  }
}
