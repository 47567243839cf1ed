/**
 * The replay viewer's routes: `rove-sim replay LOG --serve` serves the page, its log and its assets; the simulator
 * serves the same page without a log, where a bug report's attachment is opened and checked by the same reader.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/lab/lab.ts';
import { buildReplayApp } from '../../../src/rehearsal/replay/build-replay-app.ts';
import type { ReplayPayload } from '../../../src/rehearsal/replay/replay-plugin.ts';
import { serveReplay } from '../../../src/rehearsal/replay/serve-replay.ts';
import { EventLogError, parseEventLog } from '../../../src/rehearsal/event-log-reader.ts';
import { buildApp } from '../../../src/http/build-app.ts';
import { openTestLab } from '../../support/lab.ts';
import { SMALL_EVENTS, SMALL_HEADER, SMALL_LOG } from './small-log.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'rove-replay-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rove-sim replay --serve', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildReplayApp({ log: parseEventLog(SMALL_LOG), name: 'events.jsonl', speed: 3600 });
  });
  afterAll(() => app?.close());

  it('sends the root and /replay to the viewer page', async () => {
    expect((await app.inject('/')).headers.location).toBe('/replay/');
    const bare = await app.inject('/replay');
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/replay/');
  });

  it('serves the page in the web admin look, with the log and the chosen speed', async () => {
    const res = await app.inject('/replay/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<link rel="stylesheet" href="/static/admin/admin.css">');
    expect(res.body).toContain('<script type="module" src="/static/replay/replay.js"></script>');
    expect(res.body).toContain('data-events="/replay/events.json"');
    expect(res.body).toContain('data-open="/replay/open"');
    expect(res.body).toContain('data-speed="3600"');
  });

  it('serves the log with each reboot grouped by cause as the report groups it', async () => {
    const res = await app.inject('/replay/events.json');
    expect(res.statusCode).toBe(200);
    const body = res.json<ReplayPayload>();
    expect(body.name).toBe('events.jsonl');
    expect(body.header).toEqual(SMALL_HEADER);
    expect(body.events).toHaveLength(SMALL_EVENTS.length);
    expect(body.events.filter((e) => e.cause).map((e) => e.cause)).toEqual([
      'ITSP provisioning: new configuration (sign-in, policy)',
      'ITSP provisioning: applying new provisioning settings (ConfigURL changed)',
    ]);
    expect(body.events[0]).toEqual(SMALL_EVENTS[0]);
  });

  it('serves the viewer code and styles', async () => {
    for (const file of ['replay/replay.js', 'replay/replay-state.js', 'replay/replay-format.js', 'replay/replay.css', 'admin/admin.css']) {
      const res = await app.inject(`/static/${file}`);
      expect(res.statusCode, file).toBe(200);
    }
    expect((await app.inject('/static/replay/replay.js')).headers['content-type']).toMatch(/javascript/);
  });

  it('listens on 127.0.0.1 and prints the URL; a bad log fails before listening', async () => {
    const file = path.join(dir, 'events.jsonl');
    writeFileSync(file, SMALL_LOG);
    const lines: string[] = [];
    const served = await serveReplay(file, { port: 0, log: (l) => lines.push(l) });
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/replay\/$/);
      expect(lines).toEqual([`Replay of "Known replay" (${SMALL_EVENTS.length} events): ${served.url}`]);
      const res = await fetch(new URL('events.json', served.url));
      expect(((await res.json()) as ReplayPayload).events).toHaveLength(SMALL_EVENTS.length);
    } finally {
      await served.close();
    }
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"type":"rove-sim-events","version":9}\n');
    await expect(serveReplay(bad, { port: 0, log: () => {} })).rejects.toThrow(new EventLogError([{ file: 'bad.jsonl', line: 1, message: 'unknown version 9 (this rove-sim reads version 1)' }]));
  });
});

describe('The replay viewer in the simulator', () => {
  let lab: Lab;
  let app: FastifyInstance;
  beforeEach(async () => {
    lab = await openTestLab();
    app = await buildApp({ lab });
  });
  afterEach(async () => {
    await app.close();
    await lab.close();
  });

  it('serves the page without a log: it asks for one', async () => {
    const res = await app.inject('/replay/');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('data-events=');
    expect(res.body).toContain('No log open.');
    expect(res.body).toContain('id="log-file"');
    const events = await app.inject('/replay/events.json');
    expect(events.statusCode).toBe(404);
    expect(events.json()).toMatchObject({ code: 'REPLAY_NO_LOG' });
  });

  it('opens an attached log: checked, and sent back with reboot causes', async () => {
    const res = await app.inject({ method: 'POST', url: '/replay/open?name=bug-1234.jsonl', headers: { 'content-type': 'text/plain' }, payload: SMALL_LOG });
    expect(res.statusCode).toBe(200);
    const body = res.json<ReplayPayload>();
    expect(body.name).toBe('bug-1234.jsonl');
    expect(body.header.scenario).toBe('Known replay');
    expect(body.events.filter((e) => e.cause)).toHaveLength(2);
  });

  it('refuses a damaged log with every problem and its line', async () => {
    const damaged = `${SMALL_LOG}{"t":1,"kind":"reboot","device":"b1"}\n{"t":2,`;
    const res = await app.inject({ method: 'POST', url: '/replay/open?name=bug-1234.jsonl', headers: { 'content-type': 'text/plain' }, payload: damaged });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ code: string; message: string }>();
    expect(body.code).toBe('EVENT_LOG_INVALID');
    const lines = body.message.split('\n');
    expect(lines[0]).toBe('bug-1234.jsonl:38: not an event: kind "reboot" is not one of base, handset, teams, sign-in, enroll, bulk, fault, step, failure, base-error');
    expect(lines[1]).toMatch(/^bug-1234\.jsonl:39: not JSON \(/);
  });

  it('takes a log larger than the control API body limit (100,000 events are about 8 MB)', async () => {
    const filler = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ t: 30 * 60_000 + i, kind: 'step', device: 'lab', state: 'start', detail: `step ${i} ${'x'.repeat(20)}` }));
    const big = `${SMALL_LOG}${filler.join('\n')}\n`;
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const res = await app.inject({ method: 'POST', url: '/replay/open', headers: { 'content-type': 'text/plain' }, payload: big });
    expect(res.statusCode).toBe(200);
    expect(res.json<ReplayPayload>().events).toHaveLength(SMALL_EVENTS.length + 30_000);
  });
});
