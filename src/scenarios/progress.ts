/**
 * Progress of a rehearsal on stderr: a one-line bar redrawn in place on a terminal, plain lines (at most one every
 * few seconds) otherwise.
 */
import { formatDuration } from './duration.ts';
import type { Progress } from './runner.ts';

export function progressReporter(stream: NodeJS.WriteStream, label: string): { update: (p: Progress) => void; done: () => void } {
  const tty = stream.isTTY === true;
  let lastDraw = 0;
  let lastStep = -1;
  return {
    update(p) {
      const now = performance.now();
      const stepChanged = p.stepsDone !== lastStep;
      if (tty ? now - lastDraw < 100 && !stepChanged : now - lastDraw < 5_000 && !stepChanged) return;
      lastDraw = now;
      lastStep = p.stepsDone;
      const fraction = p.steps === 0 ? 1 : p.stepsDone / p.steps;
      const time = `lab ${formatDuration(p.virtualMs) || '0s'}${p.plannedMs > p.virtualMs ? ` / ≥${formatDuration(p.plannedMs)}` : ''}`;
      if (tty) {
        const width = 24;
        const filled = Math.round(fraction * width);
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
        const line = `${label} ${bar} step ${p.stepsDone}/${p.steps} · ${time} · ${p.step}`;
        stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
      } else {
        stream.write(`${label}: step ${p.stepsDone}/${p.steps}, ${time}: ${p.step}\n`);
      }
    },
    done() {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}
