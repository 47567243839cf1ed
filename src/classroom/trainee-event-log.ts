/**
 * A trainee's event log (DIR/<login>.events.jsonl), the same JSONL the rehearsals write and the replay viewer reads:
 * a header line, then every base and handset state change, Teams device change and fault of their lab (the
 * rehearsal's {@link Recorder}), and what the trainee and instructor did in the classroom (Check, hint, reset, more
 * time) as `step` events. Lab ms count from the trainee's start, so a restarted classroom goes on in the same file.
 *
 * Events are appended once a second (one write per trainee, not one per event), so a kill loses at most the last
 * second of device events; what the instructor opens is flushed first.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Lab } from '../lab/lab.ts';
import { LabDirectory } from '../rehearsal/build-lab.ts';
import { parseEventLog, type EventLog, type EventLogHeader } from '../rehearsal/event-log-reader.ts';
import { type LabEvent, Recorder } from '../rehearsal/recorder.ts';

const FLUSH_MS = 1_000;

export class TraineeEventLog {
  private readonly recorder: Recorder;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly lab: Lab,
    readonly file: string,
    header: Omit<EventLogHeader, 'type' | 'version'>,
    startedAt: number,
  ) {
    if (!existsSync(file)) writeFileSync(file, `${JSON.stringify({ type: 'rove-sim-events', version: 1, ...header })}\n`);
    // Devices are named by MAC and IPEI: what the trainee reads on their pages.
    this.recorder = new Recorder(lab, new LabDirectory(), startedAt);
    this.recorder.attach();
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** Something the trainee or the instructor did (Check, hint, reset…). */
  step(what: string, detail?: string, ok?: boolean): void {
    this.recorder.add({ kind: 'step', device: 'lab', state: what, ...(detail ? { detail } : {}), ...(ok !== undefined ? { ok } : {}) });
  }

  /** The lab's devices were replaced (a checkpoint restore): watch the new ones. */
  reattach(): void {
    this.recorder.attach();
  }

  flush(): void {
    const events: LabEvent[] = this.recorder.events.splice(0);
    if (events.length === 0) return;
    events.sort((a, b) => a.t - b.t);
    appendFileSync(this.file, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  }

  read(): EventLog {
    this.flush();
    return parseEventLog(readFileSync(this.file, 'utf8'), this.file);
  }

  text(): string {
    this.flush();
    return readFileSync(this.file, 'utf8');
  }

  close(): void {
    clearInterval(this.timer);
    this.recorder.detach();
    try {
      this.flush();
    } catch {
      // A directory gone at shutdown loses only the last second of events.
    }
    void this.lab;
  }
}
