import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Line } from '../../src/sip/line/line.ts';
import { SipServer } from '../../src/sip/server/sip-server.ts';
import { wallClock } from '../../src/sip/wall-clock.ts';
import { runSipp } from './support/sipp.ts';
import { waitFor } from './support/net.ts';
import { installSipSpeedups } from '../../src/sip/speed/sip-speedups.ts';

// Lines and servers built here without a lab: the SIP speed-ups installed as Lab.open() installs them.
installSipSpeedups();

const SCENARIOS = join(import.meta.dirname, 'sipp');
const PASSWORD = 'sipp-secret-1';
let server: SipServer;
let addresses: NonNullable<SipServer['addresses']>;

beforeAll(async () => {
  server = new SipServer({
    clock: wallClock,
    accounts: ['1001', '1002', '1003'].map((extension) => ({ extension, password: PASSWORD })),
  });
  addresses = await server.listen({ udp: 0, tcp: 0, ws: 0 });
});

afterAll(async () => {
  await server?.close();
});

describe('SIPp against the embedded SIP server', () => {
  test.each(['udp', 'tcp'] as const)('SIPp registers over %s with digest authentication and gets 200', async (transport) => {
    const extension = transport === 'udp' ? '1001' : '1002';
    const run = await runSipp({
      scenario: join(SCENARIOS, 'register-digest.xml'),
      target: transport === 'udp' ? addresses.udp! : addresses.tcp!,
      transport,
      service: extension,
      user: extension,
      password: PASSWORD,
    });
    expect(run.code, `${run.output}\n${run.errors}`).toBe(0);
    const register = server.timeline.entries({ method: 'REGISTER' }).filter((e) => e.user === extension);
    expect(register.map((e) => [e.transport, e.status])).toEqual([
      [transport.toUpperCase(), 401],
      [transport.toUpperCase(), 200],
    ]);
    // Over UDP the binding stays; a TCP binding goes when SIPp closes its connection (the server cannot call back).
    const bindings = server.timeline.entries({ kind: 'binding' }).filter((e) => e.user === extension).map((e) => e.detail?.split(':')[0]);
    expect(bindings).toEqual(transport === 'udp' ? ['added'] : ['added', 'flow-closed']);
  });

  test('SIPp with a wrong password is refused (403)', async () => {
    const run = await runSipp({
      scenario: join(SCENARIOS, 'register-digest.xml'),
      target: addresses.udp!,
      transport: 'udp',
      service: '1003',
      user: '1003',
      password: 'wrong',
      timeoutS: 5,
    });
    expect(run.code).not.toBe(0);
    const answers = server.timeline.entries({ method: 'REGISTER' }).filter((e) => e.user === '1003').map((e) => e.status);
    expect(answers).toEqual([401, 403]);
  });

  test('malformed messages get 400/483/501 answers, an unknown extension the challenge, and the server keeps answering', async () => {
    const before = server.stats();
    const run = await runSipp({ scenario: join(SCENARIOS, 'malformed.xml'), target: addresses.udp!, transport: 'udp' });
    expect(run.code, `${run.output}\n${run.errors}`).toBe(0);
    const after = server.stats();
    expect(after.malformed - before.malformed).toBe(5); // garbage, Content-Type, Max-Forwards, truncated body, Contact
    expect(after.internalErrors).toBe(0);
  });

  test('a simulator line registers over a real WebSocket to the embedded server', async () => {
    const line = new Line({
      extension: '1003',
      password: PASSWORD,
      domain: server.domain,
      connector: { kind: 'websocket', url: addresses.ws!.url },
      clock: wallClock,
    });
    try {
      line.start();
      expect(await waitFor(() => line.state === 'OK', { attempts: 100, intervalMs: 50 })).toBe(true);
      expect(server.registrations().find((r) => r.extension === '1003')).toMatchObject({ transport: 'WS' });
    } finally {
      await line.dispose('reboot');
    }
    expect(await waitFor(() => !server.isRegistered('1003'), { attempts: 100, intervalMs: 50 })).toBe(true);
  });
});
