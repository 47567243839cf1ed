import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Call } from '../../src/sip/line/call.ts';
import { Line } from '../../src/sip/line/line.ts';
import { wallClock } from '../../src/sip/wall-clock.ts';
import { startKamailio, type RunningKamailio } from './support/kamailio.ts';
import { waitFor } from './support/net.ts';
import { installSipSpeedups } from '../../src/sip/speed/sip-speedups.ts';

// Lines and servers built here without a lab: the SIP speed-ups installed as Lab.open() installs them.
installSipSpeedups();

const DOMAIN = 'kamailio.lab.test';
const ACCOUNTS = [
  { extension: '1001', password: 'kam-secret-1001' },
  { extension: '1002', password: 'kam-secret-1002' },
];

let kamailio: RunningKamailio;
const lines: Line[] = [];

beforeAll(async () => {
  kamailio = await startKamailio({ domain: DOMAIN, accounts: ACCOUNTS });
});

afterAll(async () => {
  await Promise.all(lines.map((line) => line.dispose('reboot')));
  await kamailio?.stop();
});

/** A simulator line on a base, registering over WebSocket to the real Kamailio, on real time. */
function lineTo(extension: string, password: string): Line {
  const line = new Line({
    extension,
    password,
    domain: DOMAIN,
    connector: { kind: 'websocket', url: kamailio.wsUrl },
    clock: wallClock,
    device: { id: `0004F2A0000${extension.slice(-1)}`, userAgent: 'RoveB4 8.0.3.0009' },
  });
  lines.push(line);
  return line;
}

const until = (check: () => boolean) => waitFor(check, { attempts: 100, intervalMs: 50 });

describe('Simulator lines against a real Kamailio (WebSocket)', () => {
  test('two handsets register to Kamailio and call each other through it', async () => {
    const alice = lineTo('1001', ACCOUNTS[0]!.password);
    const bob = lineTo('1002', ACCOUNTS[1]!.password);
    const atBob: Call[] = [];
    bob.on('incoming', (call) => atBob.push(call));
    alice.start();
    bob.start();
    expect(await until(() => alice.state === 'OK' && bob.state === 'OK'), kamailio.log().slice(-3000)).toBe(true);
    expect(alice.status().expires).toBeGreaterThan(0);

    const call = alice.call('1002');
    expect(await until(() => atBob.length === 1 && call.state === 'ringing'), kamailio.log().slice(-3000)).toBe(true);
    await atBob[0]!.answer();
    expect(await until(() => call.state === 'connected' && atBob[0]!.state === 'connected')).toBe(true);

    expect(await call.hold()).toBe(true);
    expect(await until(() => atBob[0]!.heldByRemote)).toBe(true);
    // Through a multi-process proxy the ACK of the hold may still be on its way when resume is pressed: the line
    // retries on 500 + Retry-After (glare), so this holds either way.
    expect(await call.resume()).toBe(true);
    expect(await until(() => !atBob[0]!.heldByRemote)).toBe(true);

    await atBob[0]!.hangup();
    expect(await until(() => call.state === 'ended')).toBe(true);
    expect(call.end).toMatchObject({ cause: 'remote-hangup' });
    expect(atBob[0]!.end).toMatchObject({ cause: 'local-hangup' });
  });

  test('a wrong password is refused by Kamailio and the line shows Error', async () => {
    const line = lineTo('1001', 'not-the-password');
    line.start();
    expect(await until(() => line.state === 'Error')).toBe(true);
    expect(line.status().statusCode).toBe(401);
  });
});
