/**
 * How long the embedded server keeps a REGISTER transaction (RFC 3261 §17.2.2): over UDP its answer stays for Timer J
 * (64 × T1 = 32 s) so that a retransmission gets the same answer again; over reliable transports Timer J is 0 and
 * nothing stays once the answer is sent. Time moves only when the test steps the clock.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { SipServer } from '../../src/sip/server/sip-server.ts';
import { digestAnswer, rawPeer } from './raw-peer.ts';

const PASSWORD = 'rove-secret-1';
const REGISTRATIONS = 200;
let clock: VirtualClock;
let server: SipServer;

beforeEach(() => {
  clock = new VirtualClock({ start: Date.UTC(2026, 11, 3, 9), paused: true });
  server = new SipServer({ clock, networkClock: clock, accounts: [{ extension: '1001', password: PASSWORD }] });
});
afterEach(async () => {
  await server.close();
  clock.dispose();
});

/** One phone's REGISTER with digest, as SIPp sends it: a fresh Call-ID per registration. Returns what it sent. */
function registerOnce(peer: ReturnType<typeof rawPeer>, n: number) {
  const headers = { 'Call-ID': `storm-${n}`, Contact: '<sip:1001@127.0.0.1:5099>' };
  const first = peer.request('REGISTER', 'sip:sip.lab.test', headers);
  const [challenge] = peer.send(first);
  expect(challenge!.status).toBe(401);
  const authorization = digestAnswer(challenge!.header('www-authenticate')!, '1001', PASSWORD, 'REGISTER', 'sip:sip.lab.test');
  const second = peer.request('REGISTER', 'sip:sip.lab.test', { ...headers, Authorization: authorization });
  const [ok] = peer.send(second);
  expect(ok!.status).toBe(200);
  return { first, second, challenge: challenge!.text, ok: ok!.text };
}

describe('A burst of REGISTERs over UDP', () => {
  test('each transaction answers its retransmissions with the same answer until Timer J runs out, then the server holds none', async () => {
    const peer = rawPeer(server, clock, 'UDP');
    const sent = Array.from({ length: REGISTRATIONS }, (_, n) => registerOnce(peer, n));
    expect(server.stats().transactions).toBe(2 * REGISTRATIONS);

    // 31 s later, still within Timer J: a phone that missed our answers sends its requests again.
    await clock.advance(31_000);
    const [lastChallenge] = peer.send(sent.at(-1)!.first);
    const [lastOk] = peer.send(sent.at(-1)!.second);
    expect(lastChallenge!.text).toBe(sent.at(-1)!.challenge);
    expect(lastOk!.text).toBe(sent.at(-1)!.ok);
    // Answered from what the transaction kept: not handled again, not registered again.
    expect(server.stats().requests.REGISTER).toBe(2 * REGISTRATIONS + 2);
    expect(server.timeline.entries({ method: 'REGISTER' })).toHaveLength(2 * REGISTRATIONS);

    await clock.advance(1_001);
    expect(server.stats().transactions).toBe(0);
    expect(server.isRegistered('1001')).toBe(true);

    // After Timer J the same request is a new transaction: its nonce-count was used already, so it is challenged again.
    const [late] = peer.send(sent.at(-1)!.second);
    expect(late!.status).toBe(401);
  });

  test('a retransmission that arrives before the answer (still pending) is absorbed, and the answer sent once', () => {
    server.setFault({ mode: 'timeout' });
    const peer = rawPeer(server, clock, 'UDP');
    const text = peer.request('REGISTER', 'sip:sip.lab.test', { Contact: '<sip:1001@127.0.0.1:5099>' });
    expect(peer.send(text)).toEqual([]);
    expect(peer.send(text)).toEqual([]);
    expect(server.timeline.entries({ method: 'REGISTER' })).toHaveLength(1);
  });
});

describe.each(['TCP', 'TLS', 'WS'] as const)('REGISTERs over %s (a reliable transport)', (transport) => {
  test('leave nothing behind once answered (Timer J = 0)', () => {
    const peer = rawPeer(server, clock, transport);
    for (let n = 0; n < 20; n++) registerOnce(peer, n);
    expect(server.stats().transactions).toBe(0);
    expect(server.isRegistered('1001')).toBe(true);
  });
});

describe('Recognising a retransmission before parsing it', () => {
  test('finds the same transaction as the full parse, or leaves the request to it', async () => {
    const { rawTransactionKey } = await import('../../src/sip/server/sip-server.ts');
    const { readInbound } = await import('../../src/sip/server/inbound.ts');
    const { transactionKey } = await import('../../src/sip/server/server-context.ts');
    const vias = [
      'SIP/2.0/UDP 127.0.0.1:5300;branch=z9hG4bK-1-2;rport',
      'SIP/2.0/UDP host.example.com;branch=z9hG4bKabc',
      'SIP/2.0/udp 127.0.0.1:5060 ;branch=z9hG4bKx',
      'SIP/2.0/UDP 127.0.0.1:5300;rport;branch=z9hG4bK776asdhds;received=1.2.3.4',
      'SIP/2.0/TCP a.b:1;branch=z9hG4bKq ',
      'SIP/2.0/UDP 127.0.0.1:5300;branch=z9hG4bK1, SIP/2.0/UDP 127.0.0.1:5301;branch=z9hG4bK2',
      'SIP/2.0/UDP [::1]:5060;branch=z9hG4bKv6',
      'SIP/2.0/UDP Host.Example.COM:5060;branch=z9hG4bKcase',
      'SIP/2.0/UDP 127.0.0.1:5300;branch=rfc2543',
    ];
    let recognised = 0;
    for (const via of vias) {
      for (const name of ['Via', 'v', 'VIA']) {
        const text = `OPTIONS sip:sip.lab.test SIP/2.0\r\n${name}: ${via}\r\nMax-Forwards: 70\r\nFrom: <sip:1001@sip.lab.test>;tag=1\r\nTo: <sip:1001@sip.lab.test>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
        const inbound = readInbound(text, { maxMessageBytes: 65_535 });
        if (inbound.kind !== 'request') throw new Error(`not read as a request: ${via}`);
        const raw = rawTransactionKey(text);
        if (raw === undefined) continue;
        recognised++;
        expect(raw.key, via).toBe(transactionKey(inbound.message, 'OPTIONS'));
      }
    }
    expect(recognised).toBe(12); // the four plain ones, each under three spellings of the header name
    expect(rawTransactionKey('ACK sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKa\r\n\r\n')).toBeUndefined();
  });
});

describe('A binding refreshed many times', () => {
  /** REGISTER with this Contact expiry; returns the answer's status. */
  function refresh(peer: ReturnType<typeof rawPeer>, expires: number): number {
    const headers = { 'Call-ID': 'refresher', Contact: `<sip:1001@127.0.0.1:5099>;expires=${expires}` };
    const [challenge] = peer.send(peer.request('REGISTER', 'sip:sip.lab.test', headers));
    const authorization = digestAnswer(challenge!.header('www-authenticate')!, '1001', PASSWORD, 'REGISTER', 'sip:sip.lab.test');
    return peer.send(peer.request('REGISTER', 'sip:sip.lab.test', { ...headers, Authorization: authorization }))[0]!.status;
  }
  const kinds = () => server.timeline.entries({ kind: 'binding' }).map((e) => e.detail?.split(':')[0]);

  test('expires when the last refresh runs out, longer or shorter than the one before', async () => {
    const peer = rawPeer(server, clock, 'UDP');
    expect(refresh(peer, 120)).toBe(200);
    await clock.advance(100_000);
    expect(refresh(peer, 120)).toBe(200); // now expires 220 s after the first
    await clock.advance(119_000);
    expect(server.isRegistered('1001')).toBe(true);
    await clock.advance(1_000);
    expect(server.isRegistered('1001')).toBe(false);
    expect(kinds()).toEqual(['added', 'expired']);

    expect(refresh(peer, 3600)).toBe(200);
    await clock.advance(10_000);
    expect(refresh(peer, 60)).toBe(200); // shorter: expires 60 s from now, not at the first one's hour
    await clock.advance(59_000);
    expect(server.isRegistered('1001')).toBe(true);
    await clock.advance(1_000);
    expect(server.isRegistered('1001')).toBe(false);
    expect(kinds()).toEqual(['added', 'expired', 'added', 'expired']);
  });
});
