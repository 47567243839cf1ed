/**
 * A log attached to a bug report is read back line by line: a good one gives its header and events in time order; a
 * truncated, edited or foreign one fails before anything is replayed, saying which line and why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventLogError, parseEventLog, readEventLog } from '../../src/rehearsal/event-log-reader.ts';
import { replayEventLog, writeEventLog } from '../../src/rehearsal/event-log.ts';
import { SMALL_EVENTS, SMALL_HEADER, SMALL_LOG } from './replay/small-log.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'rove-event-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER_LINE = JSON.stringify(SMALL_HEADER);

function problemsOf(text: string, file = 'events.jsonl'): string[] {
  try {
    parseEventLog(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(EventLogError);
    expect((err as EventLogError).code).toBe('EVENT_LOG_INVALID');
    return (err as EventLogError).message.split('\n');
  }
  throw new Error('the log was accepted');
}

describe('Reading an event log back', () => {
  it('reads what writeEventLog wrote: the header and every event', async () => {
    const file = path.join(dir, 'events.jsonl');
    const { type: _type, version: _version, ...header } = SMALL_HEADER;
    await writeEventLog(file, header, SMALL_EVENTS);
    const log = await readEventLog(file);
    expect(log.header).toEqual(SMALL_HEADER);
    expect(log.events).toEqual(SMALL_EVENTS);
    expect(parseEventLog(SMALL_LOG)).toEqual(log);
  });

  it('accepts Windows line ends, a byte order mark and blank lines (a log passed through an editor or a mail client)', () => {
    const text = `\uFEFF${SMALL_LOG.split('\n').join('\r\n')}\r\n\r\n`;
    expect(parseEventLog(text).events).toHaveLength(SMALL_EVENTS.length);
  });

  it('puts events out of time order back in order, keeping the order of events at the same time', () => {
    const [a, b, c] = [SMALL_EVENTS[6]!, SMALL_EVENTS[0]!, SMALL_EVENTS[1]!];
    const log = parseEventLog([SMALL_HEADER, a, b, c].map((l) => JSON.stringify(l)).join('\n'));
    expect(log.events).toEqual([b, c, a]);
  });

  it('an empty file, a file that is not a log, and a log of another version are refused on line 1', () => {
    expect(problemsOf('')).toEqual(['events.jsonl:1: empty: no header line, no events']);
    expect(problemsOf('name: Guide rollout\nsteps: []\n', 'guide.yaml')).toEqual(['guide.yaml:1: not a rove-sim event log: the first line is not JSON']);
    expect(problemsOf('{"t":0,"kind":"base","device":"b1"}\n')).toEqual([
      'events.jsonl:1: not a rove-sim event log: the first line is not its header ({"type":"rove-sim-events",…})',
    ]);
    expect(problemsOf(`${JSON.stringify({ ...SMALL_HEADER, version: 2 })}\n{"t":0,"kind":"base","device":"b1"}\n`)).toEqual([
      'events.jsonl:1: unknown version 2 (this rove-sim reads version 1)',
    ]);
    expect(problemsOf(`${JSON.stringify({ ...SMALL_HEADER, seed: 'seven', start: 'yesterday' })}\n`)).toEqual([
      'events.jsonl:1: header: missing or wrong seed (a whole number), start (an ISO 8601 time)',
    ]);
  });

  it('lists every bad line with its number: not JSON, not an event', () => {
    const lines = [
      HEADER_LINE,
      JSON.stringify(SMALL_EVENTS[0]),
      '{"t":90000,"kind":"base","device":"b1","state":"running"', // cut off
      '',
      JSON.stringify({ t: 5, kind: 'reboot', device: 'b1' }),
      JSON.stringify({ t: -1, kind: 'base', device: '' }),
      JSON.stringify({ t: '90s', kind: 'base', device: 'b1', ok: 'yes', mac: '0004F2A00001' }),
      JSON.stringify({ kind: 'handset' }),
      '[1,2]',
      '42',
    ];
    const [cutOff, ...others] = problemsOf(lines.join('\n'));
    expect(cutOff).toMatch(/^events\.jsonl:3: not JSON \(.+\)$/); // the parser's own words vary with the Node version
    expect(others).toEqual([
      'events.jsonl:5: not an event: kind "reboot" is not one of base, handset, teams, sign-in, enroll, bulk, fault, step, failure, base-error',
      'events.jsonl:6: not an event: t is -1: lab ms since the start must be 0 or more; device is empty',
      'events.jsonl:7: not an event: t is "90s", not a number; ok is "yes", not a boolean; unknown field "mac"',
      'events.jsonl:8: not an event: no t; no device',
      'events.jsonl:9: not an event: an array instead of {"t":…,"kind":…,"device":…}',
      'events.jsonl:10: not an event: 42 instead of {"t":…,"kind":…,"device":…}',
    ]);
  });

  it('stops listing after 20 problems and says how many more there are', () => {
    const text = [HEADER_LINE, ...Array.from({ length: 25 }, () => 'oops')].join('\n');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(21);
    expect(problems[19]).toMatch(/^events\.jsonl:21: not JSON/);
    expect(problems[20]).toBe('… and 5 more problems');
  });

  it('rove-sim replay prints a good log and prints nothing of a bad one', async () => {
    const good = path.join(dir, 'good.jsonl');
    writeFileSync(good, SMALL_LOG);
    const out: string[] = [];
    expect(await replayEventLog(good, { speed: 'max', write: (l) => out.push(l) })).toBe(SMALL_EVENTS.length);
    expect(out[0]).toBe('Replay of "Known replay" (seed 7, rove-8.0), lab start 2026-11-02T09:00:00.000Z');
    expect(out[1]).toBe('+0ms        b1         base booting (Power on)');

    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, `${SMALL_LOG}{"t":1,"kind":"base"`);
    const printed: string[] = [];
    await expect(replayEventLog(bad, { speed: 'max', write: (l) => printed.push(l) })).rejects.toThrow(/^bad\.jsonl:38: not JSON/);
    expect(printed).toEqual([]);
  });
});
