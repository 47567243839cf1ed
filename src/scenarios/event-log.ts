/**
 * The event log of a run (JSONL, one event per line after a header line): written once at the end of a run from the
 * in-memory event list, read back by `rove-sim replay`. Replaying into the web UI is a later slice; the format is
 * meant for it (lab ms since the start, the scenario's device names, states and reasons).
 */
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { formatDuration } from './duration.ts';
import type { LabEvent } from './recorder.ts';

export interface EventLogHeader {
  type: 'rove-sim-events';
  version: 1;
  scenario: string;
  seed: number;
  profile: string;
  variant: string | null;
  /** Lab start, ISO 8601. */
  start: string;
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
 * Prints a log at `speed` lab ms per real ms (`max`: at once). Returns the number of events.
 */
export async function replayEventLog(file: string, options: { speed: 'max' | number; write: (line: string) => void }): Promise<number> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let header: EventLogHeader | undefined;
  let last = 0;
  let count = 0;
  for await (const line of lines) {
    if (!line.trim()) continue;
    const value = JSON.parse(line) as EventLogHeader | LabEvent;
    if (!header) {
      if ((value as EventLogHeader).type !== 'rove-sim-events') throw new Error(`${file} is not a rove-sim event log (no header line)`);
      header = value as EventLogHeader;
      options.write(`Replay of "${header.scenario}" (seed ${header.seed}, ${header.variant ?? header.profile}), lab start ${header.start}`);
      continue;
    }
    const e = value as LabEvent;
    if (options.speed !== 'max' && e.t > last) await new Promise((r) => setTimeout(r, (e.t - last) / (options.speed as number)));
    last = Math.max(last, e.t);
    options.write(formatEvent(e));
    count++;
  }
  if (!header) throw new Error(`${file} is empty`);
  return count;
}
