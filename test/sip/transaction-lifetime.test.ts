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
