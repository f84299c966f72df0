/**
 * Progress for long jobs: a redrawn bar on a terminal, plain lines (every 10 %) otherwise, so CI
 * logs and piped output stay readable. Counts are always printed by the command at the end.
 */
import type { CliIo } from './command.ts';

export interface Progress {
  tick(done: number): void;
  finish(): void;
}

export function progress(io: CliIo, label: string, total: number): Progress {
  let lastPct = -1;
  const started = Date.now();
  const write = (s: string) => process.stderr.write(s);
  return {
    tick(done: number) {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (io.tty) {
        if (pct === lastPct) return;
        lastPct = pct;
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        write(
          `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct}% ${done}/${total}`,
        );
      } else {
        const step = Math.floor(pct / 10) * 10;
        if (step === lastPct) return;
        lastPct = step;
        io.err(`${label}: ${step}% (${done}/${total})`);
      }
    },
    finish() {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (io.tty) write('\n');
      io.err(`${label}: done in ${secs}s`);
    },
  };
}
