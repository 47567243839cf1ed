/**
 * Reads an event log (`events.jsonl`) back and checks it line by line, so a log attached to a bug report — maybe
 * truncated, edited or from another version — fails with where and why instead of a blank replay:
 *
 *     events.jsonl:1: not a rove-sim event log: the first line is not its header ({"type":"rove-sim-events",…})
 *     events.jsonl:1: unknown version 2 (this rove-sim reads version 1)
 *     events.jsonl:14: not JSON (Unexpected end of JSON input)
 *     events.jsonl:15: not an event: kind "reboot" is not one of base, handset, …
 *
 * Both replays use it: `rove-sim replay` (terminal and `--serve`) and the viewer's "Open a log" in the simulator.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { EventKind, LabEvent } from './recorder.ts';

export const EVENT_LOG_VERSION = 1;

/** The first line of a log: what it is, its version, and the run it records (defined here, beside the check of it). */
export interface EventLogHeader {
  type: 'rove-sim-events';
  version: 1;
  scenario: string;
  seed: number;
  profile: string;
  variant: string | null;
  /** Lab start, ISO 8601. */
  start: string;
  /**
   * Each handset's base, by the names the events use: a handset the file gave an id of its own (`HS-0042`) is not
   * named after its base (`b1/2`), so the replay viewer learns its base from here.
   */
  handsetBases?: Record<string, string>;
}

/** Every kind a version 1 log may hold (typed, so a new kind in the recorder is a type error here until added). */
const KINDS = {
  base: true,
  handset: true,
  teams: true,
  'sign-in': true,
  enroll: true,
  bulk: true,
  fault: true,
  step: true,
  failure: true,
  'base-error': true,
} satisfies Record<EventKind, true>;

/** The type of each field of an event (typed, so a new field of {@link LabEvent} must be added here too). */
const FIELDS = {
  t: 'number',
  kind: 'string',
  device: 'string',
  state: 'string',
  reason: 'string',
  detail: 'string',
  ok: 'boolean',
} satisfies Record<keyof LabEvent, 'number' | 'string' | 'boolean'>;

/** Problems listed per log, at most (a log of another format would otherwise list every line). */
const MAX_PROBLEMS = 20;

export interface EventLogProblem {
  file: string;
  /** 1-based line of the file. */
  line: number;
  message: string;
}

/** A log that cannot be replayed, with every problem found (up to {@link MAX_PROBLEMS}). */
export class EventLogError extends Error {
  readonly code = 'EVENT_LOG_INVALID';
  readonly statusCode = 400;
  constructor(
    readonly problems: EventLogProblem[],
    more = 0,
  ) {
    super([...problems.map((p) => `${p.file}:${p.line}: ${p.message}`), ...(more > 0 ? [`… and ${more} more problems`] : [])].join('\n'));
    this.name = 'EventLogError';
  }
}

export interface EventLog {
  header: EventLogHeader;
  /** In lab-time order (a log out of order is sorted, keeping each time's own order). */
  events: LabEvent[];
}

/** Reads and checks a log file line by line; throws {@link EventLogError}. */
export async function readEventLog(file: string): Promise<EventLog> {
  const reader = new EventLogReader(path.basename(file));
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) reader.line(line);
  return reader.finish();
}

/** Checks the text of a log (an upload); `file` is only used in messages. Throws {@link EventLogError}. */
export function parseEventLog(text: string, file = 'events.jsonl'): EventLog {
  const reader = new EventLogReader(file);
  for (const line of text.split(/\r?\n/)) reader.line(line);
  return reader.finish();
}

class EventLogReader {
  private header: EventLogHeader | undefined;
  private readonly events: LabEvent[] = [];
  private readonly problems: EventLogProblem[] = [];
  private more = 0;
  private lineNo = 0;
  private sorted = true;
  /** The first line with text was read (as a header, good or bad). */
  private started = false;

  constructor(private readonly file: string) {}

  line(text: string): void {
    this.lineNo++;
    if (!text.trim()) return;
    if (this.lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // Without a good header the rest is not read: it would only repeat that this is not a log of this version.
    if (this.started && !this.header) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      if (!this.started) {
        this.started = true;
        return this.problem('not a rove-sim event log: the first line is not JSON');
      }
      return this.problem(`not JSON (${(err as Error).message})`);
    }
    if (!this.started) {
      this.started = true;
      return this.readHeader(value);
    }
    const event = this.readEvent(value);
    if (!event) return;
    const last = this.events.at(-1);
    if (last && event.t < last.t) this.sorted = false;
    this.events.push(event);
  }

  finish(): EventLog {
    if (!this.started) this.problem('empty: no header line, no events', 1);
    if (this.problems.length > 0 || !this.header) throw new EventLogError(this.problems, this.more);
    const events = this.sorted ? this.events : this.events.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i).map(({ e }) => e);
    return { header: this.header, events };
  }

  private problem(message: string, line = this.lineNo): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ file: this.file, line, message });
    else this.more++;
  }

  private readHeader(value: unknown): void {
    const h = value as Partial<Record<keyof EventLogHeader, unknown>>;
    if (!isObject(value) || h.type !== 'rove-sim-events') {
      return this.problem('not a rove-sim event log: the first line is not its header ({"type":"rove-sim-events",…})');
    }
    if (h.version !== EVENT_LOG_VERSION) {
      return this.problem(`unknown version ${JSON.stringify(h.version)} (this rove-sim reads version ${EVENT_LOG_VERSION})`);
    }
    const wrong: string[] = [];
    if (typeof h.scenario !== 'string') wrong.push('scenario (a string)');
    if (typeof h.seed !== 'number' || !Number.isInteger(h.seed)) wrong.push('seed (a whole number)');
    if (typeof h.profile !== 'string') wrong.push('profile (a string)');
    if (h.variant !== null && typeof h.variant !== 'string') wrong.push('variant (a string or null)');
    if (typeof h.start !== 'string' || Number.isNaN(Date.parse(h.start))) wrong.push('start (an ISO 8601 time)');
    if (h.handsetBases !== undefined && (!isObject(h.handsetBases) || Object.values(h.handsetBases).some((b) => typeof b !== 'string'))) {
      wrong.push('handsetBases (handset name → base name)');
    }
    if (wrong.length > 0) return this.problem(`header: missing or wrong ${wrong.join(', ')}`);
    this.header = value as unknown as EventLogHeader;
  }

  private readEvent(value: unknown): LabEvent | undefined {
    if (!isObject(value)) return void this.problem(`not an event: ${Array.isArray(value) ? 'an array' : JSON.stringify(value)} instead of {"t":…,"kind":…,"device":…}`);
    const wrong: string[] = [];
    for (const [key, v] of Object.entries(value)) {
      const type = FIELDS[key as keyof LabEvent];
      if (!type) wrong.push(`unknown field "${key}"`);
      else if (typeof v !== type) wrong.push(`${key} is ${JSON.stringify(v)}, not a ${type}`);
    }
    for (const key of ['t', 'kind', 'device'] as const) if (!(key in value)) wrong.push(`no ${key}`);
    if (wrong.length === 0) {
      const { t, kind, device } = value as { t: number; kind: string; device: string };
      if (!Number.isFinite(t) || t < 0) wrong.push(`t is ${t}: lab ms since the start must be 0 or more`);
      if (!Object.hasOwn(KINDS, kind)) wrong.push(`kind "${kind}" is not one of ${Object.keys(KINDS).join(', ')}`);
      if (!device) wrong.push('device is empty');
    }
    if (wrong.length > 0) return void this.problem(`not an event: ${wrong.join('; ')}`);
    return value as unknown as LabEvent;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
