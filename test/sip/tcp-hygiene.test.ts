/**
 * TCP as a real client meets it (real sockets on loopback, bounded): idle connections cannot lock clients out, a
 * connection that never speaks is closed, a message with bare LF line ends is answered, and the header limit is the
 * one UDP has.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SipServer } from '../../src/sip/server/sip-server.ts';
import { wallClock } from '../../src/sip/wall-clock.ts';

let server: SipServer;
const open: Socket[] = [];

beforeEach(() => {
  server = new SipServer({ clock: wallClock, accounts: [{ extension: '1001', password: 'x-secret-1' }] });
});
afterEach(async () => {
  for (const s of open.splice(0)) s.destroy();
  await server.close();
});

function options(eol: string, callId: string): string {
  return [
    'OPTIONS sip:sip.lab.test SIP/2.0',
    `Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-${callId}`,
    'Max-Forwards: 70',
    'From: <sip:probe@127.0.0.1>;tag=t1',
    'To: <sip:sip.lab.test>',
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join(eol);
}

function client(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
    open.push(s);
  });
}

/** The first answer on `s` to `text`, or why none came (closed, or nothing in 3 s). */
function ask(s: Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('(no answer in 3 s)'), 3_000);
    s.once('data', (d) => {
      clearTimeout(timer);
      resolve(d.toString());
    });
    s.once('close', () => {
      clearTimeout(timer);
      resolve('(closed)');
    });
    s.write(text);
  });
}

const closed = (s: Socket) => new Promise<boolean>((resolve) => {
  if (s.destroyed) return resolve(true);
  const timer = setTimeout(() => resolve(false), 3_000);
  s.once('close', () => {
    clearTimeout(timer);
    resolve(true);
  });
});

describe('SIP over TCP', () => {
  test('connections that never speak do not lock a new client out: the oldest silent one makes room', async () => {
    const { tcp } = await server.listen({ tcp: 0, tcpLimits: { maxConnections: 5 } });
    const idle = await Promise.all(Array.from({ length: 5 }, () => client(tcp!.port)));
    const late = await client(tcp!.port);
    expect(await ask(late, options('\r\n', 'late-1'))).toMatch(/^SIP\/2\.0 200 OK/);
    expect(await closed(idle[0]!)).toBe(true);
  });

  test('a connection that sends nothing is closed after the silent time; one that spoke stays', async () => {
    const { tcp } = await server.listen({ tcp: 0, tcpLimits: { silentMs: 300 } });
    const quiet = await client(tcp!.port);
    const talker = await client(tcp!.port);
    expect(await ask(talker, options('\r\n', 'talker-1'))).toMatch(/^SIP\/2\.0 200 OK/);
    expect(await closed(quiet)).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(talker.destroyed).toBe(false);
  });

  test('a message with bare LF line ends is answered', async () => {
    const { tcp } = await server.listen({ tcp: 0 });
    const s = await client(tcp!.port);
    expect(await ask(s, options('\n', 'bare-lf-1'))).toMatch(/^SIP\/2\.0 (200 OK|400 Bad Request)/);
  });

  test('a header section of 20 KB is read on TCP as on UDP (the limit is 65535 bytes for both)', async () => {
    const { tcp } = await server.listen({ tcp: 0 });
    const s = await client(tcp!.port);
    const big = options('\r\n', 'big-1').replace('Max-Forwards: 70', `Max-Forwards: 70\r\nX-Padding: ${'a'.repeat(20_000)}`);
    expect(await ask(s, big)).toMatch(/^SIP\/2\.0 200 OK/);
  });
});
