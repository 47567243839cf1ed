/**
 * Simulator lines against a real Kamailio over UDP, TCP and TLS (issue 15): each registers with digest over its own
 * transport, and calls cross transports through Kamailio — which sends them to the Contact each line registered (its
 * real address; over TCP and TLS, Kamailio finds the line's own connection by it). Over TLS Kamailio shows a
 * self-signed certificate: refused while certificates are checked, accepted with it trusted. Real time, loopback.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Call } from '../../src/sip/line/call.ts';
import { Line, type LineConnector } from '../../src/sip/line/line.ts';
import { makeTlsIdentity, type TlsIdentity } from '../../src/sip/server/tls-identity.ts';
import { installSipSpeedups } from '../../src/sip/speed/sip-speedups.ts';
import { wallClock } from '../../src/sip/wall-clock.ts';
import { startKamailio, type RunningKamailio } from './support/kamailio.ts';
import { waitFor } from './support/net.ts';

// Lines built here without a lab: the SIP speed-ups installed as Lab.open() installs them.
installSipSpeedups();

const DOMAIN = 'kamailio.lab.test';
const ACCOUNTS = ['3001', '3002', '3003', '3004'].map((extension) => ({ extension, password: `kam-secret-${extension}` }));

let kamailio: RunningKamailio;
let identity: TlsIdentity;
const lines: Line[] = [];

beforeAll(async () => {
  // The lab's own kind of certificate (self-signed, for sip.lab.test and 127.0.0.1), shown by Kamailio here.
  identity = await makeTlsIdentity();
  kamailio = await startKamailio({ domain: DOMAIN, accounts: ACCOUNTS, tls: identity });
});

afterAll(async () => {
  await Promise.all(lines.map((line) => line.dispose('reboot')));
  await kamailio?.stop();
});

function lineOver(extension: string, connector: LineConnector): Line {
  const line = new Line({
    extension,
    password: `kam-secret-${extension}`,
    domain: DOMAIN,
    connector,
    clock: wallClock,
    device: { id: `0004F2B0${extension}`, userAgent: 'RoveB4 8.0.3.0009' },
  });
  lines.push(line);
  return line;
}

const until = (check: () => boolean) => waitFor(check, { attempts: 200, intervalMs: 50 });
const log = () => kamailio.log().slice(-3000);

describe('Simulator lines against a real Kamailio over UDP, TCP and TLS', () => {
  let udp: Line;
  let tcp: Line;
  let tls: Line;

  test('a line registers over each transport', async () => {
    udp = lineOver('3001', { kind: 'udp', host: '127.0.0.1', port: kamailio.port });
    tcp = lineOver('3002', { kind: 'tcp', host: '127.0.0.1', port: kamailio.port });
    tls = lineOver('3003', { kind: 'tls', host: '127.0.0.1', port: kamailio.tlsPort!, tls: { acceptAll: false, trusted: [identity.cert] } });
    for (const line of [udp, tcp, tls]) line.start();
    expect(await until(() => [udp, tcp, tls].every((l) => l.state === 'OK')), `${[udp, tcp, tls].map((l) => l.status().reason).join(' | ')}\n${log()}`).toBe(true);
  });

  test('UDP calls TLS, TLS answers and hangs up; TCP calls UDP, UDP answers', async () => {
    const atTls: Call[] = [];
    const atUdp: Call[] = [];
    tls.on('incoming', (c) => atTls.push(c));
    udp.on('incoming', (c) => atUdp.push(c));

    const first = udp.call('3003');
    expect(await until(() => atTls.length === 1 && first.state === 'ringing'), log()).toBe(true);
    await atTls[0]!.answer();
    expect(await until(() => first.state === 'connected' && atTls[0]!.state === 'connected'), log()).toBe(true);
    await atTls[0]!.hangup();
    expect(await until(() => first.state === 'ended'), log()).toBe(true);
    expect(first.end?.cause).toBe('remote-hangup');

    const second = tcp.call('3001');
    expect(await until(() => atUdp.length === 1 && second.state === 'ringing'), log()).toBe(true);
    await atUdp[0]!.answer();
    expect(await until(() => second.state === 'connected'), log()).toBe(true);
    await second.hangup();
    expect(await until(() => atUdp[0]!.state === 'ended'), log()).toBe(true);
  });

  test("with certificates checked and Kamailio's self-signed certificate not trusted, the TLS line shows why it is not registered", async () => {
    const refused = lineOver('3004', { kind: 'tls', host: '127.0.0.1', port: kamailio.tlsPort! });
    refused.start();
    expect(await until(() => refused.state === 'Error')).toBe(true);
    expect(refused.status().reason).toContain('self-signed certificate, not trusted');
  });
});
