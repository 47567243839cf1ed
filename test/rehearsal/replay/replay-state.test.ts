/**
 * The viewer's state at a lab time, on a log with known answers: each base and handset, the counters, and the same
 * state whether the replay got there by playing forward, by jumping back to a checkpoint, or from scratch.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEventLog } from '../../../src/rehearsal/event-log-reader.ts';
import { formatDuration as tsFormatDuration } from '../../../src/rehearsal/duration.ts';
import { formatEvent as tsFormatEvent } from '../../../src/rehearsal/event-log.ts';
import { replayPayload } from '../../../src/rehearsal/replay/replay-plugin.ts';
import { formatDuration, formatEvent, formatLabTime } from '../../../web/replay/replay-format.js';
import { indexAfter, ReplayState, teamsStatus } from '../../../web/replay/replay-state.js';
import { SMALL_LOG } from './small-log.ts';

const S = 1_000;
const M = 60_000;
const NEW_CONFIGURATION = 'ITSP provisioning: new configuration (sign-in, policy)';
const CONFIG_URL = 'ITSP provisioning: applying new provisioning settings (ConfigURL changed)';

const events = replayPayload('events.jsonl', parseEventLog(SMALL_LOG)).events;

function at(t: number, options?: { checkpointEvery?: number }) {
  const state = new ReplayState(events, options);
  state.seek(t);
  return state;
}

const view = (s: ReplayState) => ({ index: s.index, time: s.time, bases: s.bases, handsets: s.handsets, counters: s.counters });
const base = (s: ReplayState, name: string) => s.bases[s.baseIndex.get(name)!]!;
const handset = (s: ReplayState, name: string) => s.handsets[s.handsetIndex.get(name)!]!;

describe('The state of a replayed run at a lab time', () => {
  it('knows every device from the start, in natural order, each handset under its base', () => {
    const s = new ReplayState(events);
    expect(s.baseNames).toEqual(['b1', 'b2']);
    expect(s.handsetNames).toEqual(['b1/1', 'b1/2', 'b2/1']);
    expect(s.handsets.map((h) => h.base)).toEqual(['b1', 'b1', 'b2']);
    expect(s.bases.map((b) => b.handsets)).toEqual([2, 1]);
    expect(s.end).toBe(20 * M + 5 * S);
    expect(s.index).toBe(0);
    expect(s.bases.every((b) => b.state === null)).toBe(true);
  });

  it("puts a handset with an id of its own under the base the log's header names", () => {
    const renamed = events.map((e) => (e.device === 'b2/1' ? { ...e, device: 'HS-0042' } : e));
    const s = new ReplayState(renamed, { handsetBases: { 'HS-0042': 'b2', 'HS-9999': 'nowhere' } });
    expect(s.handsets.map((h) => [h.name, h.base])).toEqual([['b1/1', 'b1'], ['b1/2', 'b1'], ['HS-0042', 'b2']]);
    expect(s.bases.map((b) => b.handsets)).toEqual([2, 1]);
    s.seek(s.end);
    expect(base(s, 'b2').inService).toBe(handset(s, 'HS-0042').state === 'in-service' ? 1 : 0);
    // Without the header's names it has no base to go under.
    expect(new ReplayState(renamed).handsets.find((h) => h.name === 'HS-0042')!.base).toBeNull();
  });

  it('at the start: both bases booting after power on, every handset starting, nothing counted yet', () => {
    const s = at(0);
    expect(s.index).toBe(6);
    expect(s.bases.map((b) => [b.state, b.reason])).toEqual([
      ['booting', 'Power on'],
      ['booting', 'Power on'],
    ]);
    expect(s.handsets.map((h) => h.state)).toEqual(['starting', 'starting', 'starting']);
    expect(s.counters).toMatchObject({ reboots: 0, handsetsInService: 0, handsetsWithoutService: 3, signIns: { ok: 0, failed: 0 }, step: 'The bases boot' });
  });

  it('at 13 min: b1 reboots for the sign-in, b2 is off by a fault, no handset has service', () => {
    const s = at(13 * M);
    expect(base(s, 'b1')).toMatchObject({ state: 'rebooting', reason: 'ITSP provisioning: new configuration', since: 13 * M, reboots: 1, inService: 0 });
    expect(base(s, 'b2')).toMatchObject({ state: 'off', reason: 'Power off', reboots: 0 });
    expect(handset(s, 'b1/1')).toMatchObject({ state: 'searching', since: 13 * M, teams: 'signed-in', user: 'adele.vance@contoso.com' });
    expect(teamsStatus(handset(s, 'b1/1'))).toEqual({ text: 'Signed in · adele.vance@contoso.com', tone: 'ok' });
    expect(teamsStatus(handset(s, 'b1/2'))).toEqual({ text: 'Enrollment refused: The verification code has expired.', tone: 'error' });
    expect(teamsStatus(handset(s, 'b2/1'))).toEqual({ text: '—', tone: 'none' });
    expect(s.counters).toMatchObject({
      reboots: 1,
      rebootsByCause: { [NEW_CONFIGURATION]: 1 },
      powerCuts: 1,
      basesByState: { booting: 0, running: 0, rebooting: 1, off: 1 },
      handsetsInService: 0,
      handsetsWithoutService: 3,
      handsetsByState: { searching: 3 },
      signIns: { ok: 1, failed: 0 },
      enrollments: { ok: 1, failed: 1 },
      faults: { cut: 'cut: power cut of b2' },
      failures: 0,
    });
  });

  it('just before an event nothing of it shows; at its time it does', () => {
    expect(at(13 * M - 1).counters.reboots).toBe(0);
    expect(base(at(13 * M - 1), 'b1').state).toBe('running');
    expect(base(at(13 * M), 'b1').state).toBe('rebooting');
  });

  it('at the end: two reboots by cause, every handset back in service, the failed bulk row and the error on b2', () => {
    const s = at(Number.POSITIVE_INFINITY);
    expect(s.time).toBe(s.end);
    expect(s.index).toBe(events.length);
    expect(base(s, 'b1')).toMatchObject({ state: 'booting', reboots: 2, lastReboot: 'ITSP provisioning: applying new provisioning settings (reboot 1 of 3)' });
    expect(base(s, 'b2')).toMatchObject({ state: 'running', error: 'PRV-02: no route to host', inService: 1 });
    expect(s.handsets.map((h) => h.state)).toEqual(['in-service', 'in-service', 'in-service']);
    expect(teamsStatus(handset(s, 'b1/2'))).toEqual({ text: 'Sign-in failed: User missing phone number assignment.', tone: 'error' });
    expect(s.counters).toMatchObject({
      reboots: 2,
      rebootsByCause: { [NEW_CONFIGURATION]: 1, [CONFIG_URL]: 1 },
      handsetsInService: 3,
      handsetsWithoutService: 0,
      signIns: { ok: 1, failed: 1 },
      faults: {},
      failures: 1,
      lastFailure: 'base b2 reboots 0 — 1',
    });
    expect(s.latest(2).map((e) => e.state)).toEqual(['rebooting', 'booting']);
  });

  it('gives the same state after playing forward and jumping back (through checkpoints) as from scratch', () => {
    const times = [...new Set(events.map((e) => e.t))];
    const probes = [...times, ...times.map((t) => t - 1), ...times.map((t) => t + 1), -5, 99 * M];
    const player = new ReplayState(events, { checkpointEvery: 4 });
    // forward, then back and forth in a scrambled order
    for (const t of [...probes].sort((a, b) => a - b)) {
      player.seek(t);
      expect(view(player)).toEqual(view(at(t)));
    }
    for (const t of probes.map((t, i) => probes[(i * 7) % probes.length]!)) {
      player.seek(t);
      expect(view(player)).toEqual(view(at(t)));
    }
  });

  it('reports which rows changed since the last frame, and everything after a jump back', () => {
    const s = new ReplayState(events, { checkpointEvery: 4 });
    s.seek(0);
    s.takeChanges();
    s.seek(10 * M);
    const forward = s.takeChanges();
    expect(forward.all).toBe(false);
    expect([...forward.bases].sort()).toEqual([0, 1]);
    expect([...forward.handsets].sort()).toEqual([0, 1, 2]);
    s.seek(90 * S);
    expect(s.takeChanges().all).toBe(true);
  });

  it('finds the first event after a time by bisection', () => {
    expect(indexAfter(events, -1)).toBe(0);
    expect(indexAfter(events, 0)).toBe(6);
    expect(indexAfter(events, 93 * S)).toBe(11);
    expect(indexAfter(events, 1e12)).toBe(events.length);
  });
});

describe('Text of the viewer', () => {
  it('lists events in the same words as rove-sim replay in a terminal, for every event of a real log', () => {
    const real = parseEventLog(readFileSync(new URL('./fixtures/guide-single-handset.events.jsonl', import.meta.url), 'utf8'));
    for (const e of [...real.events, ...events]) expect(formatEvent(e)).toBe(tsFormatEvent(e));
    for (const ms of [0, 999, 1_000, 61_500, 3_600_000, 90_061_000]) expect(formatDuration(ms)).toBe(tsFormatDuration(ms));
  });

  it('shows the lab clock as time since the start', () => {
    expect(formatLabTime(0)).toBe('+0s');
    expect(formatLabTime(400)).toBe('+0s');
    expect(formatLabTime(2 * 3_600_000 + 25 * M + 37 * S)).toBe('+2h25m37s');
  });
});
