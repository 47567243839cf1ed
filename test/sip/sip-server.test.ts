import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { SipServer } from '../../src/sip/server/sip-server.ts';
import { digestAnswer, rawPeer } from './raw-peer.ts';

const PASSWORD = 'rove-secret-1';
let clock: VirtualClock;
let server: SipServer;
let peer: ReturnType<typeof rawPeer>;

beforeEach(() => {
  clock = new VirtualClock({ start: Date.UTC(2026, 10, 2, 9), paused: true });
  server = new SipServer({ clock, accounts: [{ extension: '1001', password: PASSWORD }, { extension: '1002', password: PASSWORD }] });
  peer = rawPeer(server, clock);
});
afterEach(async () => {
  await server.close();
  clock.dispose();
});

/** REGISTER 1001 with credentials, answering the challenge. */
function register(headers: Record<string, string | null> = { Contact: '<sip:1001@127.0.0.1:5099>' }, password = PASSWORD) {
  const [challenge] = peer.send(peer.request('REGISTER', 'sip:sip.lab.test', headers));
  expect(challenge!.status).toBe(401);
  const authorization = digestAnswer(challenge!.header('www-authenticate')!, '1001', password, 'REGISTER', 'sip:sip.lab.test');
  return peer.send(peer.request('REGISTER', 'sip:sip.lab.test', { ...headers, Authorization: authorization }))[0]!;
}

describe('The registrar', () => {
  test('challenges, then accepts digest credentials and lists the binding with its expiry', () => {
    const [challenge] = peer.send(peer.request('REGISTER', 'sip:sip.lab.test', { Contact: '<sip:1001@127.0.0.1:5099>' }));
    expect(challenge!.status).toBe(401);
    expect(challenge!.header('www-authenticate')).toMatch(/^Digest realm="sip.lab.test", nonce="[^"]+", algorithm=MD5, qop="auth"$/);
    expect(challenge!.header('to')).toMatch(/;tag=/);

    const ok = register();
    expect(ok.status).toBe(200);
    expect(ok.header('contact')).toBe('<sip:1001@127.0.0.1:5099>;expires=3600');
    expect(ok.header('date')).toBe('Mon, 02 Nov 2026 09:00:00 GMT');
    expect(server.isRegistered('1001')).toBe(true);
  });

  test('refuses a wrong password (403), an unknown extension (401, then 403 or 404 after authentication), and someone else\'s extension (403)', () => {
    expect(register(undefined, 'nope').status).toBe(403);
    // Who exists is not told to a stranger: the unknown extension is challenged like any other.
    const [stranger] = peer.send(peer.request('REGISTER', 'sip:sip.lab.test', { To: '<sip:1099@sip.lab.test>' }));
    expect(stranger).toMatchObject({ status: 401 });
    const guess = digestAnswer(stranger!.header('www-authenticate')!, '1099', 'guess', 'REGISTER', 'sip:sip.lab.test');
    expect(peer.send(peer.request('REGISTER', 'sip:sip.lab.test', { To: '<sip:1099@sip.lab.test>', Authorization: guess }))[0]).toMatchObject({ status: 403 });
    // Authenticated as 1001, the user learns that 1099 does not exist.
    const [again] = peer.send(peer.request('REGISTER', 'sip:sip.lab.test', { To: '<sip:1099@sip.lab.test>' }));
    const as1001 = digestAnswer(again!.header('www-authenticate')!, '1001', PASSWORD, 'REGISTER', 'sip:sip.lab.test');
    expect(peer.send(peer.request('REGISTER', 'sip:sip.lab.test', { To: '<sip:1099@sip.lab.test>', Authorization: as1001 }))[0]).toMatchObject({ status: 404 });

    const [challenge] = peer.send(peer.request('REGISTER', 'sip:sip.lab.test', { To: '<sip:1002@sip.lab.test>' }));
    const asAlice = digestAnswer(challenge!.header('www-authenticate')!, '1001', PASSWORD, 'REGISTER', 'sip:sip.lab.test');
    const [answer] = peer.send(peer.request('REGISTER', 'sip:sip.lab.test', { To: '<sip:1002@sip.lab.test>', Authorization: asAlice }));
    expect(answer!.status).toBe(403);
    expect(answer!.header('warning')).toBe('399 sip.lab.test "User 1001 may not act as 1002"');
  });

  test('too short an expiry gets 423 with Min-Expires; Expires 0 and Contact * remove bindings; no Contact queries', () => {
    const brief = register({ Contact: '<sip:1001@127.0.0.1:5099>', Expires: '30' });
    expect(brief).toMatchObject({ status: 423 });
    expect(brief.header('min-expires')).toBe('60');

    register({ Contact: '<sip:1001@127.0.0.1:5099>;expires=120' });
    register({ Contact: '<sip:1001@127.0.0.1:5100>' });
    const query = register({ Contact: null });
    expect(query.headers('contact')).toHaveLength(2);

    const removed = register({ Contact: '*', Expires: '0' });
    expect(removed.status).toBe(200);
    expect(removed.headers('contact')).toEqual([]);
    expect(server.isRegistered('1001')).toBe(false);
  });

  test('a binding that is not refreshed expires on the lab clock', async () => {
    register({ Contact: '<sip:1001@127.0.0.1:5099>;expires=120' });
    await clock.advance(119_000);
    expect(server.isRegistered('1001')).toBe(true);
    await clock.advance(1_000);
    expect(server.isRegistered('1001')).toBe(false);
    expect(server.timeline.entries({ kind: 'binding' }).map((e) => e.detail?.split(':')[0])).toEqual(['added', 'expired']);
  });

  test('an old nonce is answered with a fresh challenge marked stale, not a 403', async () => {
    const [challenge] = peer.send(peer.request('REGISTER', 'sip:sip.lab.test', { Contact: '<sip:1001@127.0.0.1:5099>' }));
    await clock.advance(6 * 60_000);
    const authorization = digestAnswer(challenge!.header('www-authenticate')!, '1001', PASSWORD, 'REGISTER', 'sip:sip.lab.test');
    const [answer] = peer.send(peer.request('REGISTER', 'sip:sip.lab.test', { Contact: '<sip:1001@127.0.0.1:5099>', Authorization: authorization }));
    expect(answer!.status).toBe(401);
    expect(answer!.header('www-authenticate')).toMatch(/stale=true$/);
  });

  test('a retransmitted REGISTER (same branch) gets the same answer and is handled once', () => {
    const text = peer.request('REGISTER', 'sip:sip.lab.test', { Contact: '<sip:1001@127.0.0.1:5099>' });
    const first = peer.send(text);
    const again = peer.send(text);
    expect(again.map((a) => a.text)).toEqual(first.map((a) => a.text));
    expect(server.timeline.entries({ method: 'REGISTER' })).toHaveLength(1);
  });
});

describe('Requests the server does not route', () => {
  test('OPTIONS to the server: 200 with Allow', () => {
    const [answer] = peer.send(peer.request('OPTIONS', 'sip:sip.lab.test'));
    expect(answer!.status).toBe(200);
    expect(answer!.header('allow')).toContain('INVITE');
  });

  test('SUBSCRIBE is not allowed (405), FOO is not implemented (501), BYE outside a call does not exist (481)', () => {
    expect(peer.send(peer.request('SUBSCRIBE', 'sip:1001@sip.lab.test'))[0]).toMatchObject({ status: 405 });
    expect(peer.send(peer.request('FOO', 'sip:1001@sip.lab.test'))[0]).toMatchObject({ status: 501 });
    expect(peer.send(peer.request('BYE', 'sip:1001@sip.lab.test'))[0]).toMatchObject({ status: 481 });
  });

  test('an INVITE without credentials is challenged (407), then routed: unknown 404, not registered 480', () => {
    const invite = (to: string, auth?: string) =>
      peer.request('INVITE', `sip:${to}@sip.lab.test`, { To: `<sip:${to}@sip.lab.test>`, ...(auth ? { 'Proxy-Authorization': auth } : {}) });
    const [challenge] = peer.send(invite('1099'));
    expect(challenge!.status).toBe(407);
    const auth = (to: string) => digestAnswer(challenge!.header('proxy-authenticate')!, '1001', PASSWORD, 'INVITE', `sip:${to}@sip.lab.test`);
    expect(peer.send(invite('1099', auth('1099'))).map((a) => a.status)).toEqual([100, 404]);
    expect(peer.send(invite('1002', auth('1002'))).map((a) => a.status)).toEqual([100, 480]);
  });
});

describe('Malformed input gets a clear 4xx/5xx, never a crash', () => {
  const cases: Array<[string, (p: typeof peer) => string, number, RegExp]> = [
    ['missing Call-ID', (p) => p.request('OPTIONS', 'sip:sip.lab.test', { 'Call-ID': null }), 400, /Missing Call-ID header/],
    ['malformed CSeq', (p) => p.request('OPTIONS', 'sip:sip.lab.test', { CSeq: 'abc OPTIONS' }), 400, /Malformed CSeq header/],
    ['CSeq of another method', (p) => p.request('OPTIONS', 'sip:sip.lab.test', { CSeq: '1 INVITE' }), 400, /CSeq method INVITE does not match OPTIONS/],
    ['truncated body', (p) => p.request('OPTIONS', 'sip:sip.lab.test').replace('Content-Length: 0', 'Content-Length: 300'), 400, /truncated/],
    ['malformed From', (p) => p.request('OPTIONS', 'sip:sip.lab.test', { From: '<<<' }), 400, /Malformed From header/],
    ['SIP/3.0', (p) => p.request('OPTIONS', 'sip:sip.lab.test').replace('SIP/2.0\r\n', 'SIP/3.0\r\n'), 505, /Only SIP\/2.0/],
    ['Max-Forwards 0', (p) => p.request('OPTIONS', 'sip:1002@sip.lab.test', { 'Max-Forwards': '0' }), 483, /Max-Forwards/],
    ['huge message', (p) => p.request('OPTIONS', 'sip:sip.lab.test', { Subject: 'x'.repeat(70_000) }), 513, /larger than/],
  ];
  test.each(cases)('%s', (_name, make, status, warning) => {
    const answers = peer.send(make(peer));
    expect(answers).toHaveLength(1);
    expect(answers[0]!.status).toBe(status);
    expect(answers[0]!.header('warning') ?? '').toMatch(warning);
    expect(server.stats().internalErrors).toBe(0);
  });

  test('garbage and a malformed ACK are dropped silently (counted); the server still answers afterwards', () => {
    expect(peer.send('hello')).toEqual([]);
    expect(peer.send('\u0000\u0001\u0002\r\n\r\n')).toEqual([]);
    expect(peer.send(peer.request('ACK', 'sip:1002@sip.lab.test', { CSeq: 'x ACK' }))).toEqual([]);
    expect(server.stats()).toMatchObject({ malformed: 3, dropped: 3, internalErrors: 0 });
    expect(peer.send(peer.request('OPTIONS', 'sip:sip.lab.test'))[0]).toMatchObject({ status: 200 });
  });
});
