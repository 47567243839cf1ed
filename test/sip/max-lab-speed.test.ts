import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Line } from '../../src/sip/line/line.ts';
import { lineProfile } from '../../src/sip/line/line-profile.ts';
import { SIP_MAX_LAB_SPEED } from '../../src/sip/max-lab-speed.ts';
import { SipServer } from '../../src/sip/server/sip-server.ts';
import { installSipSpeedups } from '../../src/sip/speed/sip-speedups.ts';

// Lines and servers built here without a lab: the SIP speed-ups installed as Lab.open() installs them.
installSipSpeedups();

/**
 * The lab clock running (not stepped) at the fastest speed SIP supports, 60 lab seconds per real second. SIP over the
 * in-memory transport behaves as in real time because every timer that matters runs on the lab clock. (Expiries are
 * shortened so that a few real seconds cover many refreshes.)
 */
let clock: VirtualClock;
let server: SipServer;
const lines: Line[] = [];

beforeAll(async () => {
  // Warm sip.js up (JIT, parser) on a stepped clock, so the runs below measure steady state; a real lab's margins
  // (minutes) absorb a cold start at this speed anyway.
  const warm = new VirtualClock({ paused: true });
  const warmServer = new SipServer({ clock: warm, accounts: [{ extension: '1001', password: 'pw' }] });
  const warmLine = new Line({ extension: '1001', password: 'pw', domain: warmServer.domain, connector: { kind: 'memory', server: warmServer }, clock: warm });
  warmLine.start();
  warmLine.call('9999');
  await warm.advance(60_000);
  await warmLine.dispose('power-loss');
  await warmServer.close();
});

afterEach(async () => {
  await Promise.all(lines.splice(0).map((l) => l.dispose('power-loss')));
  await server.close();
  clock.dispose();
});

/** Waits (real time, bounded) until the lab clock has passed `at` and every timer due by then has fired. */
async function labTimeReaches(at: number): Promise<void> {
  const reached = () => clock.now() >= at && (clock.nextDeadline() ?? Infinity) > at;
  for (let i = 0; i < 1000 && !reached(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(reached()).toBe(true);
}

/** Refresh at half the expiry: a wide margin, so a busy test machine (real-time stalls × 60) cannot eat it. */
const profile = lineProfile({ refreshRatio: 0.5 });

function line(extension: string): Line {
  const created = new Line({ extension, password: 'pw', domain: server.domain, connector: { kind: 'memory', server }, clock, profile });
  lines.push(created);
  return created;
}

describe(`SIP on a lab clock running ${SIP_MAX_LAB_SPEED} times faster than real time`, () => {
  test('a line keeps its registration through lab minutes of short bindings, refreshing on schedule', async () => {
    clock = new VirtualClock({ start: Date.UTC(2026, 10, 2, 9), speed: SIP_MAX_LAB_SPEED });
    server = new SipServer({
      clock,
      accounts: [{ extension: '1001', password: 'pw' }],
      registration: { minExpires: 10, defaultExpires: 60, maxExpires: 60 },
    });
    const alice = line('1001');
    const states: string[] = [];
    alice.on('state', (s) => states.push(s.state));
    const start = clock.now();
    alice.start();

    await labTimeReaches(start + 3 * 60_000);

    expect(states).not.toContain('Error');
    expect(alice.state).toBe('OK');
    expect(server.timeline.entries({ kind: 'binding' }).map((e) => e.detail?.split(':')[0])).toEqual(['added']);
    // A 60 s binding refreshed at half its life: every 30 lab seconds, 6 times in 3 lab minutes.
    const refreshes = server.timeline.entries({ method: 'REGISTER' }).filter((e) => e.status === 200).length - 1;
    expect(refreshes).toBeGreaterThanOrEqual(5);
    expect(refreshes).toBeLessThanOrEqual(6);
  });

  test('a call rings, is answered by the echo test, and ends when the echo test hangs up 30 lab seconds later', async () => {
    clock = new VirtualClock({ start: Date.UTC(2026, 10, 2, 9), speed: SIP_MAX_LAB_SPEED });
    server = new SipServer({ clock, accounts: [{ extension: '1001', password: 'pw' }] });
    const alice = line('1001');
    alice.start();
    const call = alice.call('9999');
    const states: string[] = [];
    call.on('changed', (c) => {
      if (states.at(-1) !== c.state) states.push(c.state);
    });
    await labTimeReaches(clock.now() + 40_000);
    expect(states).toEqual(['ringing', 'connected', 'ended']);
    expect(call.end).toMatchObject({ cause: 'remote-hangup' });
    expect(call.end!.at - call.connectedAt!).toBeGreaterThanOrEqual(30_000);
  });
});
