/**
 * The event log of a run (JSONL): a header line (`{"type":"rove-sim-events","version":1,scenario,seed,profile,
 * variant,start}`), then one {@link LabEvent} per line — lab ms since the start, kind, the scenario's device name
 * (`b1`, `b1/2`, `lab`), state, reason, detail, ok. Written once at the end of a run from the in-memory event list,
 * sorted by time and device; small enough to attach to a bug report.
 *
 * Read back, line by line and checked, by `readEventLog` (`event-log-reader.ts`); replayed by `rove-sim replay`:
 * printed here (paced), or in the browser viewer (`src/rehearsal/replay/`, `web/replay/`: `rove-sim replay LOG --serve`, or
 * `/replay/` in the simulator with the log opened from a file input).
 */
import { writeFile } from 'node:fs/promises';
import { formatDuration } from './duration.ts';
import { readEventLog, type EventLogHeader } from './event-log-reader.ts';
import type { LabEvent } from './recorder.ts';
import type { RunReport } from './report-types.ts';

export type { EventLogHeader } from './event-log-reader.ts';

/** The header of a run's event log, from its report (the handsets' bases too, for handsets with ids of their own). */
export function eventLogHeader(r: RunReport): Omit<EventLogHeader, 'type' | 'version'> {
  return {
    scenario: r.scenario,
    seed: r.seed,
    profile: r.profile,
    variant: r.variant,
    start: r.start,
    handsetBases: Object.fromEntries(r.devices.filter((d) => d.kind === 'handset' && d.base).map((d) => [d.name, d.base!])),
  };
}

export async function writeEventLog(file: string, header: Omit<EventLogHeader, 'type' | 'version'>, events: readonly LabEvent[]): Promise<void> {
  const lines = [JSON.stringify({ type: 'rove-sim-events', version: 1, ...header }), ...events.map((e) => JSON.stringify(e))];
  await writeFile(file, `${lines.join('\n')}\n`);
}

/** One event as a line of text: `+1h2m3s  b001  base rebooting (Firmware update …)`. */
export function formatEvent(e: LabEvent): string {
  const time = `+${formatDuration(e.t) || '0s'}`.padEnd(12);
  const what = [e.kind, e.state, e.ok === undefined ? undefined : e.ok ? 'ok' : 'failed'].filter(Boolean).join(' ');
  const extra = [e.reason, e.detail].filter(Boolean).join(' — ');
  return `${time}${e.device.padEnd(10)} ${what}${extra ? ` (${extra})` : ''}`;
}

/**
 * Prints a log at `speed` lab ms per real ms (`max`: at once). Returns the number of events. A log that is not valid
 * fails before anything is printed ({@link readEventLog}).
 */
export async function replayEventLog(file: string, options: { speed: 'max' | number; write: (line: string) => void }): Promise<number> {
  const { header, events } = await readEventLog(file);
  options.write(`Replay of "${header.scenario}" (seed ${header.seed}, ${header.variant ?? header.profile}), lab start ${header.start}`);
  let last = 0;
  for (const e of events) {
    if (options.speed !== 'max' && e.t > last) await new Promise((r) => setTimeout(r, (e.t - last) / (options.speed as number)));
    last = Math.max(last, e.t);
    options.write(formatEvent(e));
  }
  return events.length;
}
