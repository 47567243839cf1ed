/**
 * A line honours its server's transport: it registers to the embedded server's real listeners over UDP, TCP, TLS
 * and WebSocket, with its real address and transport in Via and Contact, and calls go both ways. Over TLS the
 * lab's self-signed certificate is refused while certificates are checked, and accepted when the line trusts it or
 * accepts all. A port nobody listens on shows as the line's error with a reason. Real sockets, loopback, real time.
 */
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import type { Call } from '../../src/sip/line/call.ts';
import { Line, type LineConnector } from '../../src/sip/line/line.ts';
import { SipServer } from '../../src/sip/server/sip-server.ts';
import type { NetworkListeners } from '../../src/sip/server/listeners.ts';
import { makeTlsIdentity, type TlsIdentity } from '../../src/sip/server/tls-identity.ts';
import { wallClock } from '../../src/sip/wall-clock.ts';
import { freePort, waitFor } from '../interop/support/net.ts';
import { PASSWORD } from './support.ts';

let server: SipServer;
let clock: VirtualClock;
let addresses: NetworkListeners['addresses'];
let identity: TlsIdentity;
const lines: Line[] = [];

beforeAll(async () => {
  clock = new VirtualClock({ speed: 1 });
  const accounts = Array.from({ length: 9 }, (_, i) => ({ extension: String(2001 + i), password: PASSWORD }));
  server = new SipServer({ clock, accounts });
  identity = await makeTlsIdentity();
  addresses = await server.listen({ udp: 0, tcp: 0, tls: 0, ws: 0, tlsIdentity: identity });
});

afterAll(async () => {
  await Promise.all(lines.map((l) => l.dispose('reboot')));
  await server?.close();
  clock?.dispose();
});

function lineOver(extension: string, connector: LineConnector): Line {
  const line = new Line({
    extension,
    password: PASSWORD,
    domain: server.domain,
    connector,
    clock: wallClock,
    device: { id: `0004F2A0${extension}`, userAgent: 'RoveB4 8.0.3.0009' },
  });
  lines.push(line);
  return line;
}

const until = (check: () => boolean) => waitFor(check, { attempts: 100, intervalMs: 50 });
const binding = (extension: string) => server.registrations().find((r) => r.extension === extension);

describe('A line over the transport its server names', () => {
  test('UDP: registers from its own socket, with that address in Via and Contact', async () => {
    const line = lineOver('2001', { kind: 'udp', host: '127.0.0.1', port: addresses.udp!.port });
    line.start();
    expect(await until(() => line.state === 'OK'), line.status().reason ?? '').toBe(true);
    const seen = binding('2001');
    expect(seen).toMatchObject({ transport: 'UDP' });
    expect(JSON.stringify(seen)).toMatch(/2001-0004f2a02001@127\.0\.0\.1:\d+;transport=udp/);
  });

  test('TCP: registers over one connection, Contact transport=tcp', async () => {
    const line = lineOver('2002', { kind: 'tcp', host: '127.0.0.1', port: addresses.tcp!.port });
    line.start();
    expect(await until(() => line.state === 'OK'), line.status().reason ?? '').toBe(true);
    expect(binding('2002')).toMatchObject({ transport: 'TCP' });
    expect(JSON.stringify(binding('2002'))).toContain(';transport=tcp');
  });

  test('WebSocket: registers as before', async () => {
    const line = lineOver('2003', { kind: 'websocket', url: addresses.ws!.url });
    line.start();
    expect(await until(() => line.state === 'OK'), line.status().reason ?? '').toBe(true);
    expect(binding('2003')).toMatchObject({ transport: 'WS' });
  });

  test('a UDP line calls a TCP line and the TCP line calls back: both ring, answer, hang up', async () => {
    const udp = lines.find((l) => l.extension === '2001')!;
    const tcp = lines.find((l) => l.extension === '2002')!;
    const atTcp: Call[] = [];
    const atUdp: Call[] = [];
    tcp.on('incoming', (c) => atTcp.push(c));
    udp.on('incoming', (c) => atUdp.push(c));

    const call = udp.call('2002');
    expect(await until(() => atTcp.length === 1 && call.state === 'ringing')).toBe(true);
    await atTcp[0]!.answer();
    expect(await until(() => call.state === 'connected' && atTcp[0]!.state === 'connected')).toBe(true);
    await call.hangup();
    expect(await until(() => atTcp[0]!.state === 'ended')).toBe(true);

    const back = tcp.call('2001');
    expect(await until(() => atUdp.length === 1 && back.state === 'ringing')).toBe(true);
    await atUdp[0]!.reject('busy');
    expect(await until(() => back.state === 'ended')).toBe(true);
    expect(back.end?.cause).toBe('busy');
  });
});

describe('TLS and its certificate check', () => {
  const tlsTo = (extension: string, tls?: { acceptAll: boolean; trusted?: string[] }) =>
    lineOver(extension, { kind: 'tls', host: '127.0.0.1', port: addresses.tls!.port, ...(tls ? { tls } : {}) });

  test('with certificates checked (the default), the lab\'s self-signed certificate is refused: Error with the reason', async () => {
    const line = tlsTo('2004');
    line.start();
    expect(await until(() => line.state === 'Error')).toBe(true);
    expect(line.status().reason).toMatch(/^Cannot reach the SIP server: tls 127\.0\.0\.1:\d+: self-signed certificate, not trusted .*Accept all certificates$/);
    expect(binding('2004')).toBeUndefined();
  });

  test('accepting all certificates, it registers over TLS', async () => {
    const line = tlsTo('2005', { acceptAll: true });
    line.start();
    expect(await until(() => line.state === 'OK'), line.status().reason ?? '').toBe(true);
    expect(binding('2005')).toMatchObject({ transport: 'TLS' });
    expect(JSON.stringify(binding('2005'))).toContain(';transport=tls');
  });

  test("checking certificates with the lab's certificate trusted, it registers over TLS", async () => {
    const line = tlsTo('2006', { acceptAll: false, trusted: [identity.cert] });
    line.start();
    expect(await until(() => line.state === 'OK'), line.status().reason ?? '').toBe(true);
    expect(binding('2006')).toMatchObject({ transport: 'TLS' });
  });

  test('WSS to a plain WebSocket port fails with a reason, not a hang', async () => {
    const line = lineOver('2007', { kind: 'websocket', url: addresses.ws!.url.replace('ws://', 'wss://'), tls: { acceptAll: true } });
    line.start();
    expect(await until(() => line.state === 'Error')).toBe(true);
    expect(line.status().reason).toMatch(/^Cannot reach the SIP server: /);
  });
});

describe('A server nobody listens for', () => {
  test('TCP: connection refused', async () => {
    const port = await freePort();
    const line = lineOver('2008', { kind: 'tcp', host: '127.0.0.1', port });
    line.start();
    expect(await until(() => line.state === 'Error')).toBe(true);
    expect(line.status().reason).toBe(`Cannot reach the SIP server: tcp 127.0.0.1:${port}: connection refused (no SIP server listens there)`);
  });

  test('UDP: port unreachable', async () => {
    const port = await freePort();
    const line = lineOver('2009', { kind: 'udp', host: '127.0.0.1', port });
    line.start();
    expect(await until(() => line.state === 'Error')).toBe(true);
    expect(line.status().reason).toBe(`Connection to the SIP server lost: udp 127.0.0.1:${port}: port unreachable (no SIP server listens there)`);
  });
});

describe('A TCP line keeps its connection alive', () => {
  test('a double-CRLF ping from the server is answered with a CRLF pong (RFC 5626 §4.4.1)', async () => {
    let peer: Socket | undefined;
    let heard = '';
    const bare = createServer((socket) => {
      peer = socket;
      socket.on('data', (d) => (heard += d.toString('latin1')));
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (bare.address() as { port: number }).port;
      const line = lineOver('2001', { kind: 'tcp', host: '127.0.0.1', port });
      line.start();
      expect(await until(() => heard.startsWith('REGISTER '))).toBe(true);
      const before = heard.length;
      peer!.write('\r\n\r\n');
      expect(await until(() => heard.length > before)).toBe(true);
      expect(heard.slice(before)).toBe('\r\n');
      await line.dispose('power-loss');
    } finally {
      peer?.destroy();
      await new Promise<void>((resolve) => bare.close(() => resolve()));
    }
  });
});
