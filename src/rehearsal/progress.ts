/**
 * Progress of a rehearsal on stderr: a one-line bar redrawn in place on a terminal, plain lines (at most one every
 * few seconds) otherwise. When the comparison runs beside the main run (run-in-worker.ts), the line shows both.
 */
import { formatDuration } from './duration.ts';
import type { Progress } from './run-options.ts';

export type RunName = 'main' | 'comparison';

export function progressReporter(
  stream: NodeJS.WriteStream,
  label: string,
): { update: (p: Progress, run?: RunName) => void; done: () => void } {
  const tty = stream.isTTY === true;
  let lastDraw = 0;
  const lastStep: Record<RunName, number> = { main: -1, comparison: -1 };
  const latest: Partial<Record<RunName, Progress>> = {};
  return {
    update(p, run = 'main') {
      latest[run] = p;
      const now = performance.now();
      const stepChanged = p.stepsDone !== lastStep[run];
      if (tty ? now - lastDraw < 100 && !stepChanged : now - lastDraw < 5_000 && !stepChanged) return;
      lastDraw = now;
      lastStep[run] = p.stepsDone;
      const main = latest.main;
      const comparison = latest.comparison;
      if (tty) {
        const parts = [main ? describe(main, true) : 'main run starting'];
        if (comparison) parts.push(`comparison ${describe(comparison, false)}`);
        const line = `${label} ${parts.join(' | ')}`;
        stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
      } else {
        stream.write(`${label}${run === 'comparison' ? ' (comparison)' : ''}: ${describe(p, false)}\n`);
      }
    },
    done() {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}

function describe(p: Progress, withBar: boolean): string {
  const fraction = p.steps === 0 ? 1 : p.stepsDone / p.steps;
  const time = `lab ${formatDuration(p.virtualMs) || '0s'}${p.plannedMs > p.virtualMs ? ` / ≥${formatDuration(p.plannedMs)}` : ''}`;
  // The step's own number (as failures count it), not how many are done: "step 1/14" while the first one runs.
  const step = `step ${p.stepNumber}/${p.steps}`;
  if (!withBar) return `${step}, ${time}: ${p.step}`;
  const width = 24;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${step} · ${time} · ${p.step}`;
}
