/**
 * The embedded proxy against the raw messages real peers send (RFC 3261), each point of issue 15 as a story: what the
 * peer sends, byte for byte, and what the other side then sees.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { SipServer } from '../../src/sip/server/sip-server.ts';
import { headerValues, splitSip } from '../../src/sip/server/sip-text.ts';
import { digestAnswer, parseAnswer, udpPeerOn } from './raw-peer.ts';

const PASSWORD = 'rove-secret-1';
let clock: VirtualClock;
let server: SipServer;

beforeEach(() => {
  clock = new VirtualClock({ start: Date.UTC(2026, 10, 2, 9), paused: true });
  server = new SipServer({ clock, accounts: ['1001', '1002', '1003'].map((extension) => ({ extension, password: PASSWORD })) });
});
afterEach(async () => {
  await server.close();
  clock.dispose();
});

/** Caller 1001 on 5101 and callee 1002 on 5102, both registered; the caller's INVITE has reached the callee. */
function callReachingCallee() {
  const caller = udpPeerOn(server, clock, 5101, PASSWORD);
  const callee = udpPeerOn(server, clock, 5102, PASSWORD);
  caller.register('1001', ['<sip:1001@127.0.0.1:5101>']);
  callee.register('1002', ['<sip:1002@127.0.0.1:5102>']);
  const headers = {
    To: '<sip:1002@sip.lab.test>',
    From: '<sip:1001@sip.lab.test>;tag=caller1',
    'Call-ID': 'comma-vias-1',
    Contact: '<sip:1001@127.0.0.1:5101>',
    'Content-Type': 'application/sdp',
  };
  const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
  const [challenge] = caller.send(caller.request('INVITE', 'sip:1002@sip.lab.test', { ...headers, Via: caller.via(), CSeq: '1 INVITE' }, sdp));
  expect(challenge!.status).toBe(407);
  const auth = digestAnswer(challenge!.header('proxy-authenticate')!, '1001', PASSWORD, 'INVITE', 'sip:1002@sip.lab.test');
  const calleeSeen = callee.sent.length;
  const callerInvite = caller.request('INVITE', 'sip:1002@sip.lab.test', { ...headers, Via: caller.via(), CSeq: '2 INVITE', 'Proxy-Authorization': auth }, sdp);
  caller.send(callerInvite);
  const invite = callee.sent.slice(calleeSeen).find((t) => t.startsWith('INVITE '));
  expect(invite, 'the INVITE did not reach the callee').toBeDefined();
  return { caller, callee, invite: splitSip(invite!)!, callerInvite };
}

/** The callee's answer to `invite`, with every Via of the request on ONE line, comma-joined (what SIPp's uas sends). */
function answerWithCommaJoinedVias(invite: NonNullable<ReturnType<typeof splitSip>>, status: string, toTag: string): string {
  const vias = headerValues(invite, 'via');
  const copy = (name: string) => headerValues(invite, name).map((v) => `${name}: ${v}`);
  return [
    `SIP/2.0 ${status}`,
    `Via: ${vias.join(', ')}`,
    ...copy('Record-Route'),
    ...copy('From'),
    `${copy('To')[0]};tag=${toTag}`,
    ...copy('Call-ID'),
    ...copy('CSeq'),
    'Contact: <sip:1002@127.0.0.1:5102>',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('RFC 3261 §7.3.1: Vias joined with commas on one line', () => {
  test('a 180 and a 200 whose Vias are comma-joined reach the caller (the top Via is the first value)', () => {
    const { caller, callee, invite } = callReachingCallee();
    expect(headerValues(invite, 'via').length).toBe(2);
    const before = caller.sent.length;
    callee.send(answerWithCommaJoinedVias(invite, '180 Ringing', 'callee1'));
    callee.send(answerWithCommaJoinedVias(invite, '200 OK', 'callee1'));
    const relayed = caller.sent.slice(before).map(parseAnswer);
    expect(relayed.map((a) => a.status)).toEqual([180, 200]);
    // The proxy took its own Via off: the caller sees only its own.
    expect(relayed[1]!.headers('via')).toHaveLength(1);
    expect(relayed[1]!.header('via')).toContain('127.0.0.1:5101');
  });
});

describe('The server\'s own answers', () => {
  const peer = () => udpPeerOn(server, clock, 5103, PASSWORD);

  test('§8.2.6.2: a final answer to a request without a To tag carries one (OPTIONS 200, REGISTER 401)', () => {
    const p = peer();
    const [options] = p.send(p.request('OPTIONS', 'sip:sip.lab.test', { To: '<sip:sip.lab.test>' }));
    expect(options!.status).toBe(200);
    expect(options!.header('to')).toMatch(/;tag=\w+/);
    const [challenge] = p.send(p.request('REGISTER', 'sip:sip.lab.test', { To: '<sip:1001@sip.lab.test>' }));
    expect(challenge!.header('to')).toMatch(/;tag=\w+/);
  });

  test('RFC 3581: the top Via gets received= and the rport value of where the request came from', () => {
    const p = peer();
    const [answer] = p.send(p.request('OPTIONS', 'sip:sip.lab.test', { Via: 'SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK-nat-1;rport' }));
    expect(answer!.header('via')).toBe('SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK-nat-1;rport=5103;received=127.0.0.1');
    // Without rport and from its own address: nothing to add.
    const [plain] = p.send(p.request('OPTIONS', 'sip:sip.lab.test', { Via: 'SIP/2.0/UDP 127.0.0.1:5103;branch=z9hG4bK-nat-2' }));
    expect(plain!.header('via')).toBe('SIP/2.0/UDP 127.0.0.1:5103;branch=z9hG4bK-nat-2');
  });

  test('§8.2.2.3 / §16.3: Require or Proxy-Require of an option the server does not have gets 420 with Unsupported', () => {
    const p = peer();
    const [required] = p.send(p.request('OPTIONS', 'sip:sip.lab.test', { Require: 'foo' }));
    expect(required).toMatchObject({ status: 420, reason: 'Bad Extension' });
    expect(required!.header('unsupported')).toBe('foo');
    const [proxyRequired] = p.send(p.request('INVITE', 'sip:1002@sip.lab.test', { To: '<sip:1002@sip.lab.test>', 'Proxy-Require': 'bar, baz' }));
    expect(proxyRequired!.status).toBe(420);
    expect(proxyRequired!.header('unsupported')).toBe('bar, baz');
  });

  test('§26.2: a sips: Request-URI over UDP gets 416 (this server offers no TLS)', () => {
    const p = peer();
    const [answer] = p.send(p.request('OPTIONS', 'sips:1002@sip.lab.test', { To: '<sips:1002@sip.lab.test>' }));
    expect(answer).toMatchObject({ status: 416, reason: 'Unsupported URI Scheme' });
  });

  test('§20.19: Expires: abc (or a Contact expires=abc) is a 400, not a 3600 s registration', () => {
    const p = peer();
    const [header] = p.send(p.request('REGISTER', 'sip:sip.lab.test', { To: '<sip:1001@sip.lab.test>', Expires: 'abc', Contact: '<sip:1001@127.0.0.1:5103>' }));
    expect(header).toMatchObject({ status: 400 });
    expect(header!.header('warning')).toContain('Malformed Expires header: abc');
    const [param] = p.send(p.request('REGISTER', 'sip:sip.lab.test', { To: '<sip:1001@sip.lab.test>', Contact: '<sip:1001@127.0.0.1:5103>;expires=soon' }));
    expect(param!.header('warning')).toContain('Malformed expires parameter in Contact: soon');
    expect(server.isRegistered('1001')).toBe(false);
  });

  test('RFC 2617: an answer sent again (same nonce, cnonce and nc) is challenged afresh; one for another URI is refused', () => {
    const p = peer();
    const base = { To: '<sip:1001@sip.lab.test>', Contact: '<sip:1001@127.0.0.1:5103>' };
    const [challenge] = p.send(p.request('REGISTER', 'sip:sip.lab.test', { ...base, Via: p.via() }));
    const authorization = digestAnswer(challenge!.header('www-authenticate')!, '1001', PASSWORD, 'REGISTER', 'sip:sip.lab.test');
    const [first] = p.send(p.request('REGISTER', 'sip:sip.lab.test', { ...base, Via: p.via(), Authorization: authorization }));
    expect(first!.status).toBe(200);
    const [replayed] = p.send(p.request('REGISTER', 'sip:sip.lab.test', { ...base, Via: p.via(), Authorization: authorization }));
    expect(replayed!.status).toBe(401);
    expect(replayed!.header('www-authenticate')).toMatch(/nonce="/);

    const [again] = p.send(p.request('REGISTER', 'sip:sip.lab.test', { ...base, Via: p.via() }));
    const forOther = digestAnswer(again!.header('www-authenticate')!, '1001', PASSWORD, 'REGISTER', 'sip:1002@sip.lab.test');
    const [other] = p.send(p.request('REGISTER', 'sip:sip.lab.test', { ...base, Via: p.via(), Authorization: forOther }));
    expect(other!.status).toBe(400);
    expect(other!.header('warning')).toContain('Digest uri sip:1002@sip.lab.test does not match the Request-URI');
  });
});

describe('A call nobody finishes: CANCEL without an answer, Timer C', () => {
  /** The caller's CANCEL for the INVITE the callee got (same branch and CSeq number as the caller's INVITE). */
  function cancelOf(inviteText: string): string {
    const text = splitSip(inviteText)!;
    const first = (name: string) => headerValues(text, name)[0]!;
    return [
      text.startLine.replace(/^INVITE /, 'CANCEL '),
      `Via: ${first('via')}`,
      'Max-Forwards: 70',
      `From: ${first('from')}`,
      `To: ${first('to')}`,
      `Call-ID: ${first('call-id')}`,
      `CSeq: ${first('cseq').split(/\s+/)[0]} CANCEL`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  test('the callee rings, then never answers the CANCEL: after 64×T1 the proxy answers the caller 487 itself', async () => {
    const { caller, callee, invite, callerInvite } = callReachingCallee();
    callee.send(answerWithCommaJoinedVias(invite, '180 Ringing', 'callee1'));
    const from = caller.sent.length;
    const calleeBefore = callee.sent.length;
    const [ok] = caller.send(cancelOf(callerInvite));
    expect(ok!.status).toBe(200);
    expect(callee.sent.slice(calleeBefore).some((t) => t.startsWith('CANCEL '))).toBe(true);
    // The callee stays silent.
    const statuses = () => caller.sent.slice(from).map((t) => parseAnswer(t).status);
    await clock.advance(31_000);
    expect(statuses()).not.toContain(487);
    await clock.advance(2_000);
    expect(statuses()).toContain(487);
    const answer = caller.sent.slice(from).map(parseAnswer).find((a) => a.status === 487)!;
    expect(answer.header('warning')).toContain('The callee did not answer the CANCEL');
  });

  test('Timer C: a forwarded INVITE without any answer is answered 408 after more than 3 minutes', async () => {
    const { caller } = callReachingCallee();
    const from = caller.sent.length;
    const statuses = () => caller.sent.slice(from).map((t) => parseAnswer(t).status);
    await clock.advance(3 * 60_000);
    expect(statuses()).not.toContain(408);
    await clock.advance(2_000);
    expect(statuses()).toContain(408);
  });

  test('Timer C after ringing: the proxy CANCELs downstream, and the caller gets 487', async () => {
    const { caller, callee, invite } = callReachingCallee();
    callee.send(answerWithCommaJoinedVias(invite, '180 Ringing', 'callee1'));
    const calleeBefore = callee.sent.length;
    const from = caller.sent.length;
    await clock.advance(3 * 60_000 + 2_000);
    expect(callee.sent.slice(calleeBefore).some((t) => t.startsWith('CANCEL '))).toBe(true);
    await clock.advance(33_000);
    expect(caller.sent.slice(from).map((t) => parseAnswer(t).status)).toContain(487);
  });
});
