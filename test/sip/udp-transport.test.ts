/**
 * A line over UDP as a real UDP server sees it: datagrams from the line's own socket, whose address is the Via
 * sent-by (with rport) and the Contact; a request with no answer is sent again (RFC 3261 Timer E, which sip.js leaves
 * out) on the line's clock, and no more once its answer came. The "server" is a bare UDP socket; the line's clock is
 * paused, so the retransmissions happen exactly when the test moves it.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { afterEach, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Line } from '../../src/sip/line/line.ts';
import { fromWire, toWire } from '../../src/sip/line/sent-by.ts';
import { waitFor } from '../interop/support/net.ts';
import { PASSWORD } from './support.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('sent-by: the socket address in, the placeholder back', () => {
  const sentBy = { placeholder: 'mac.rove.invalid', host: '127.0.0.1', port: 40112 };

  test('a request gets the address in its top Via (with rport) and its Contact; other Vias are untouched', () => {
    const out = toWire(
      'REGISTER sip:x SIP/2.0\r\nVia: SIP/2.0/UDP mac.rove.invalid;branch=z9hG4bK1\r\nv: SIP/2.0/UDP mac.rove.invalid;branch=z9hG4bK2\r\nContact: <sip:1001-mac@mac.rove.invalid;transport=udp>;expires=60\r\nContent-Length: 0\r\n\r\n',
      sentBy,
    );
    expect(out).toContain('Via: SIP/2.0/UDP 127.0.0.1:40112;branch=z9hG4bK1;rport\r\n');
    expect(out).toContain('v: SIP/2.0/UDP mac.rove.invalid;branch=z9hG4bK2\r\n');
    expect(out).toContain('Contact: <sip:1001-mac@127.0.0.1:40112;transport=udp>;expires=60');
  });

  test("a response of ours keeps the caller's Vias; only its Contact changes", () => {
    const out = toWire('SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa\r\nm: <sip:1001-mac@mac.rove.invalid;transport=udp>\r\n\r\n', sentBy);
    expect(out).toContain('Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa\r\n');
    expect(out).toContain('m: <sip:1001-mac@127.0.0.1:40112;transport=udp>');
  });

  test('an answer gets the placeholder back in its top Via (parameters kept) and its Contacts; a request is left as is', () => {
    const back = fromWire(
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:40112;branch=z9hG4bK1;rport=40112;received=127.0.0.1\r\nContact: <sip:1001-mac@127.0.0.1:40112;transport=udp>;expires=60\r\n\r\n',
      sentBy,
    );
    expect(back).toContain('Via: SIP/2.0/UDP mac.rove.invalid;branch=z9hG4bK1;rport=40112;received=127.0.0.1\r\n');
    expect(back).toContain('Contact: <sip:1001-mac@mac.rove.invalid;transport=udp>;expires=60');
    const invite = 'INVITE sip:1001-mac@127.0.0.1:40112;transport=udp SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:40112;branch=x\r\n\r\n';
    expect(fromWire(invite, sentBy)).toBe(invite);
  });

  test('an IPv6 socket address is bracketed', () => {
    expect(toWire('OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP mac.rove.invalid;branch=b\r\n\r\n', { ...sentBy, host: '::1' })).toContain('Via: SIP/2.0/UDP [::1]:40112;branch=b;rport');
  });
});

describe('A line over UDP, seen from the server', () => {
  test('its REGISTER comes from its own socket (Via = that address, rport), is sent again after T1 and 2×T1, and stops once answered', async () => {
    const heard: Array<{ text: string; from: RemoteInfo }> = [];
    const server = createSocket('udp4');
    server.on('message', (m, from) => heard.push({ text: m.toString(), from }));
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const clock = new VirtualClock({ start: Date.UTC(2026, 10, 2, 9), paused: true });
    cleanups.push(() => clock.dispose());
    const line = new Line({ extension: '1001', password: PASSWORD, domain: 'pbx.test', connector: { kind: 'udp', host: '127.0.0.1', port: server.address().port }, clock, device: { id: '0004F2A00001' } });
    cleanups.push(() => line.dispose('power-loss'));
    const until = (check: () => boolean) => waitFor(check, { attempts: 100, intervalMs: 20 });

    line.start();
    await clock.advance(0);
    expect(await until(() => heard.length === 1)).toBe(true);
    const first = heard[0]!;
    expect(first.text).toMatch(/^REGISTER sip:pbx\.test SIP\/2\.0\r\n/);
    expect(first.text).toContain(`Via: SIP/2.0/UDP 127.0.0.1:${first.from.port};branch=`);
    expect(first.text).toMatch(/;rport\r\n/);
    expect(first.text).toContain(`<sip:1001-0004f2a00001@127.0.0.1:${first.from.port};transport=udp>`);

    await clock.advance(499);
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toHaveLength(1);
    await clock.advance(1);
    expect(await until(() => heard.length === 2)).toBe(true);
    await clock.advance(1000);
    expect(await until(() => heard.length === 3)).toBe(true);
    expect(new Set(heard.map((h) => h.text)).size).toBe(1);

    // The server answers at last (a final answer): no more copies, however long the clock runs.
    const via = /^Via: .*$/m.exec(first.text)![0].replace(';rport', `;rport=${first.from.port};received=127.0.0.1`);
    const header = (name: string) => new RegExp(`^${name}: .*$`, 'm').exec(first.text)![0];
    const answer = ['SIP/2.0 403 Forbidden', via, header('From'), `${header('To')};tag=srv1`, header('Call-ID'), header('CSeq'), 'Content-Length: 0', '', ''].join('\r\n');
    server.send(answer, first.from.port, '127.0.0.1');
    expect(await until(() => line.state === 'Error')).toBe(true);
    expect(line.status().reason).toBe('403 Forbidden');
    await clock.advance(20_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toHaveLength(3);
  });
});
