/**
 * The REGISTER fast path (src/sip/server/register-reader.ts) against the full path (sip.js's parser), on the raw
 * messages real peers send: SIPp, baresip, the lab's own sip.js lines, proxies that add Vias, compact and odd forms.
 * Each story runs once against a server with the fast path and once against one without it; the peer must see the
 * same answers, byte for byte (but for the server's random To tags and nonces), and both servers must end with the
 * same bindings, timeline and counters. Each message also says which path reads it.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import type { FlowTransport } from '../../src/sip/server/flow.ts';
import { readRegister } from '../../src/sip/server/register-reader.ts';
import { SipServer, type SipServerOptions } from '../../src/sip/server/sip-server.ts';
import { buildResponse, canonicalName, type HeaderLine, renderSip, type ResponseSpec, splitSip, withTag } from '../../src/sip/server/sip-text.ts';
import { type Answer, digestAnswer, rawPeer } from './raw-peer.ts';

const PASSWORD = 'fast-secret-1';
const ACCOUNTS = ['1001', '1002'].map((extension) => ({ extension, password: PASSWORD }));

let clock: VirtualClock;
const servers: SipServer[] = [];

beforeEach(() => {
  clock = new VirtualClock({ start: Date.UTC(2026, 11, 3, 9), paused: true });
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  clock.dispose();
});

type Path = 'fast' | 'full';

/** What a story can do: send a message (saying which path should read it) and answer a challenge. */
interface StoryPeer {
  send(text: string, path: Path): Answer[];
  /** Authorization for the last challenge this peer got. */
  auth(user?: string, password?: string, uri?: string): string;
}

/** Runs a story against a server, with or without the fast path; returns what the peer and the server saw. */
function run(fast: boolean, transport: FlowTransport, story: (peer: StoryPeer) => void, options: Partial<SipServerOptions> = {}) {
  const server = new SipServer({ clock, networkClock: clock, accounts: ACCOUNTS, fastRegister: fast, ...options });
  servers.push(server);
  const raw = rawPeer(server, clock, transport, 5099);
  branches = 0; // both runs send the same branches
  const transcript: string[] = [];
  let lastChallenge = '';
  story({
    send(text, path) {
      expect(readRegister(text, 65_535) !== undefined, `expected the ${path} path for:\n${text}`).toBe(path === 'fast');
      const answers = raw.send(text);
      for (const answer of answers) {
        const challenge = answer.header('www-authenticate');
        if (challenge) lastChallenge = challenge;
        transcript.push(normalise(answer.text));
      }
      if (answers.length === 0) transcript.push('(no answer)');
      return answers;
    },
    auth(user = '1001', password = PASSWORD, uri = 'sip:sip.lab.test') {
      return digestAnswer(lastChallenge, user, password, 'REGISTER', uri);
    },
  });
  const timeline = server.timeline
    .entries()
    .map(({ kind, direction, transport: t, remote, method, user, target, callId, status, reason, detail }) => ({ kind, direction, t, remote, method, user, target, callId, status, reason, detail }));
  const { received, requests, responsesSent, malformed, dropped, internalErrors, registrations, transactions } = server.stats();
  return {
    transcript,
    timeline,
    stats: { received, requests, responsesSent, malformed, dropped, internalErrors, registrations, transactions },
    registrations: server.registrations().map(({ registeredAt, refreshedAt, ...view }) => view),
  };
}

/** The server's random parts: its To tags and its nonces. */
function normalise(text: string): string {
  return text.replace(/;tag=[0-9a-f]{12}\b/g, ';tag=TAG').replace(/nonce="[^"]*"/g, 'nonce="NONCE"');
}

/** The same story on both servers: the same answers, bindings, timeline and counters. */
function sameOnBothPaths(story: (peer: StoryPeer) => void, transport: FlowTransport = 'UDP', options: Partial<SipServerOptions> = {}) {
  const fast = run(true, transport, story, options);
  const full = run(false, transport, story, options);
  expect(fast.transcript).toEqual(full.transcript);
  expect(fast.registrations).toEqual(full.registrations);
  expect(fast.timeline).toEqual(full.timeline);
  expect(fast.stats).toEqual(full.stats);
  return fast;
}

const message = (...lines: string[]) => lines.join('\r\n') + '\r\n\r\n';
let branches = 0;
const branch = () => `z9hG4bK-fast-${++branches}`;

/** What SIPp's register-digest.xml sends (test/interop/sipp), the bench's scenario. */
function sipp(cseq: number, authorization?: string, via = `SIP/2.0/UDP 127.0.0.1:5099;branch=${branch()};rport`) {
  return message(
    'REGISTER sip:sip.lab.test SIP/2.0',
    `Via: ${via}`,
    'Max-Forwards: 70',
    'From: <sip:1001@sip.lab.test>;tag=31234SIPpTag001',
    'To: <sip:1001@sip.lab.test>',
    'Call-ID: 1-31234@127.0.0.1',
    `CSeq: ${cseq} REGISTER`,
    'Contact: <sip:1001@127.0.0.1:5099;transport=UDP>',
    'Expires: 3600',
    ...(authorization ? [`Authorization: ${authorization}`] : []),
    'User-Agent: SIPp',
    'Content-Length: 0',
  );
}

describe('A registration the fast path reads gets the answers the full path gives', () => {
  test('SIPp registers with digest, then refreshes, then sends its last REGISTER again (a retransmission)', () => {
    const seen = sameOnBothPaths((peer) => {
      expect(peer.send(sipp(1), 'fast')[0]!.status).toBe(401);
      expect(peer.send(sipp(2, peer.auth()), 'fast')[0]!.status).toBe(200);
      peer.send(sipp(3), 'fast');
      const refresh = sipp(4, peer.auth());
      expect(peer.send(refresh, 'fast')[0]!.status).toBe(200);
      expect(peer.send(refresh, 'fast')[0]!.status).toBe(200);
    });
    expect(seen.registrations).toHaveLength(1);
    expect(seen.stats.transactions).toBe(4); // over UDP each answer waits out Timer J
  });

  test('baresip: the contact asks for its own expiry, with Allow and Supported', () => {
    const baresip = (cseq: number, authorization?: string) =>
      message(
        'REGISTER sip:127.0.0.1:5060 SIP/2.0',
        `Via: SIP/2.0/UDP 127.0.0.1:5099;branch=${branch()};rport`,
        'Contact: <sip:1001-0x55aa@127.0.0.1:5099>;expires=600',
        'Max-Forwards: 70',
        'To: <sip:1001@sip.lab.test>',
        'From: <sip:1001@sip.lab.test>;tag=8a5a0f2c1b7e3d44',
        'Call-ID: 1f5d0a3c9e2b7d48',
        `CSeq: ${cseq} REGISTER`,
        'User-Agent: baresip v3.10.1 (x86_64/Linux)',
        'Allow: INVITE,ACK,BYE,CANCEL,OPTIONS,NOTIFY,SUBSCRIBE,INFO,MESSAGE,UPDATE,REFER',
        'Supported: replaces,norefersub',
        ...(authorization ? [`Authorization: ${authorization}`] : []),
        'Content-Length: 0',
      );
    sameOnBothPaths((peer) => {
      peer.send(baresip(34_567), 'fast');
      expect(peer.send(baresip(34_568, peer.auth('1001', PASSWORD, 'sip:127.0.0.1:5060')), 'fast')[0]!.status).toBe(200);
    });
  });

  test("a line of the lab (sip.js over the in-memory flow): WS Via, a contact with its instance, no rport", () => {
    const line = (cseq: number, authorization?: string) =>
      message(
        'REGISTER sip:sip.lab.test SIP/2.0',
        `Via: SIP/2.0/WS k3j4h5g6.invalid;branch=${branch()}`,
        'To: <sip:1002@sip.lab.test>',
        'From: "Handset 1" <sip:1002@sip.lab.test>;tag=p9q8r7s6t5',
        'CSeq: ' + cseq + ' REGISTER',
        'Call-ID: a1b2c3d4e5f6g7h8i9j0',
        'Max-Forwards: 70',
        ...(authorization ? [`Authorization: ${authorization}`] : []),
        'Contact: <sip:x7y8z9@k3j4h5g6.invalid;transport=ws>;+sip.ice;expires=600',
        'Expires: 600',
        'Allow: ACK,CANCEL,INVITE,MESSAGE,BYE,OPTIONS,INFO,NOTIFY,REFER',
        'Supported: outbound, path, gruu',
        'User-Agent: Rove Simulator line',
        'Content-Length: 0',
      );
    sameOnBothPaths((peer) => {
      peer.send(line(1), 'fast');
      expect(peer.send(line(2, peer.auth('1002')), 'fast')[0]!.status).toBe(200);
    }, 'MEM');
  });

  test('compact header names (v, f, t, i, m, l) and names in any case', () => {
    const compact = (cseq: number, authorization?: string) =>
      message(
        'REGISTER sip:sip.lab.test SIP/2.0',
        `v: SIP/2.0/UDP 127.0.0.1:5099;branch=${branch()};rport`,
        'f: <sip:1001@sip.lab.test>;tag=cmp1',
        't: <sip:1001@sip.lab.test>',
        'i: compact-1@127.0.0.1',
        `CSEQ: ${cseq} REGISTER`,
        'm: <sip:1001@127.0.0.1:5099>',
        'MAX-FORWARDS: 69',
        'eXpIrEs: 1800',
        ...(authorization ? [`authorization: ${authorization}`] : []),
        'l: 0',
      );
    sameOnBothPaths((peer) => {
      peer.send(compact(1), 'fast');
      expect(peer.send(compact(2, peer.auth()), 'fast')[0]!.status).toBe(200);
    });
  });

  test('odd white space: none after the colon, tabs, several spaces, spaces before the colon and at the end', () => {
    const odd = (cseq: number, authorization?: string) =>
      message(
        'REGISTER sip:sip.lab.test SIP/2.0',
        `Via :SIP/2.0/UDP  127.0.0.1 : 5099 ; branch=${branch()} ; rport   `,
        'From:\t<sip:1001@sip.lab.test> ;tag=odd1',
        'To:   <sip:1001@sip.lab.test>  ',
        'Call-ID:odd-1@127.0.0.1',
        `CSeq: ${cseq}\tREGISTER`,
        'Contact:  "Desk"   <sip:1001@127.0.0.1:5099> ; expires = 900',
        ...(authorization ? [`Authorization:\t${authorization}`] : []),
        'Content-Length:   0',
      );
    sameOnBothPaths((peer) => {
      peer.send(odd(1), 'fast');
      expect(peer.send(odd(2, peer.auth()), 'fast')[0]!.status).toBe(200);
    });
  });

  test('several Via lines (a proxy in front of the phone), and Vias joined with commas on one line (RFC 3261 §7.3.1)', () => {
    const phoneVia = 'SIP/2.0/UDP 10.1.2.3:5062;branch=z9hG4bK-phone-1;received=10.1.2.3';
    sameOnBothPaths((peer) => {
      const lines = (cseq: number, top: string, authorization?: string) =>
        message(
          'REGISTER sip:sip.lab.test SIP/2.0',
          top,
          ...(top.includes(',') ? [] : [`Via: ${phoneVia}`]),
          'Max-Forwards: 69',
          'From: <sip:1001@sip.lab.test>;tag=via1',
          'To: <sip:1001@sip.lab.test>',
          'Call-ID: vias-1@10.1.2.3',
          `CSeq: ${cseq} REGISTER`,
          'Contact: <sip:1001@10.1.2.3:5062>',
          ...(authorization ? [`Authorization: ${authorization}`] : []),
          'Content-Length: 0',
        );
      peer.send(lines(1, `Via: SIP/2.0/UDP 127.0.0.1:5099;branch=${branch()};rport`), 'fast');
      expect(peer.send(lines(2, `Via: SIP/2.0/UDP 127.0.0.1:5099;branch=${branch()};rport`, peer.auth()), 'fast')[0]!.status).toBe(200);
      peer.send(lines(3, `Via: SIP/2.0/UDP proxy.example.com;branch=${branch()} ,${phoneVia}`), 'fast');
      const joined = lines(4, `Via: SIP/2.0/UDP 127.0.0.1:5099;branch=${branch()};rport, ${phoneVia}`, peer.auth());
      const [answer] = peer.send(joined, 'fast');
      expect(answer!.status).toBe(200);
      // The top Via (the first value) got received/rport; the one behind it is copied as it came.
      expect(answer!.text).toContain(`;rport=5099;received=127.0.0.1, ${phoneVia}\r\n`);
      // The same text again is a retransmission of that transaction (its branch is the first value's).
      expect(peer.send(joined, 'fast')[0]!.text).toBe(answer!.text);
    });
  });

  test('two contacts on one line and a third on a line of its own; then a query (no Contact) and an unregister', () => {
    sameOnBothPaths((peer) => {
      const contacts = (cseq: number, extra: string[], authorization?: string) =>
        message(
          'REGISTER sip:sip.lab.test SIP/2.0',
          `Via: SIP/2.0/UDP 127.0.0.1:5099;branch=${branch()};rport`,
          'From: <sip:1001@sip.lab.test>;tag=many1',
          'To: "Reception" <sip:1001@sip.lab.test>',
          'Call-ID: many-1@127.0.0.1',
          `CSeq: ${cseq} REGISTER`,
          ...extra,
          ...(authorization ? [`Authorization: ${authorization}`] : []),
          'Content-Length: 0',
        );
      const three = ['Contact: <sip:a@127.0.0.1:5099>;q=0.5, <sip:b@127.0.0.1:5099>;expires=120', 'Contact: <sip:c@127.0.0.1:5099>'];
      peer.send(contacts(1, three), 'fast');
      expect(peer.send(contacts(2, three, peer.auth()), 'fast')[0]!.headers('contact')).toHaveLength(3);
      peer.send(contacts(3, []), 'fast');
      expect(peer.send(contacts(4, [], peer.auth()), 'fast')[0]!.headers('contact')).toHaveLength(3);
      peer.send(contacts(5, ['Contact: <sip:b@127.0.0.1:5099>', 'Expires: 0']), 'fast');
      expect(peer.send(contacts(6, ['Contact: <sip:b@127.0.0.1:5099>', 'Expires: 0'], peer.auth()), 'fast')[0]!.headers('contact')).toHaveLength(2);
    });
  });

  test('over TCP: the answer is not kept (Timer J is 0 on reliable transports)', () => {
    const seen = sameOnBothPaths((peer) => {
      const tcp = (cseq: number, authorization?: string) => sipp(cseq, authorization, `SIP/2.0/TCP 127.0.0.1:5099;branch=${branch()};rport`);
      peer.send(tcp(1), 'fast');
      expect(peer.send(tcp(2, peer.auth()), 'fast')[0]!.status).toBe(200);
    }, 'TCP');
    expect(seen.stats.transactions).toBe(0);
  });

  test('a sent-by that is not the source address gets received= even without rport', () => {
    sameOnBothPaths((peer) => {
      const [answer] = peer.send(sipp(1, undefined, `SIP/2.0/UDP 192.0.2.7:5060;branch=${branch()}`), 'fast');
      expect(answer!.text).toContain(';received=127.0.0.1\r\n');
    });
  });
});

describe('What the registrar refuses, on both paths alike', () => {
  const plain = (cseq: number, extra: string[] = [], authorization?: string, to = '<sip:1001@sip.lab.test>') =>
    message(
      'REGISTER sip:sip.lab.test SIP/2.0',
      `Via: SIP/2.0/UDP 127.0.0.1:5099;branch=${branch()};rport`,
      'Max-Forwards: 70',
      'From: <sip:1001@sip.lab.test>;tag=ref1',
      `To: ${to}`,
      'Call-ID: refused-1@127.0.0.1',
      `CSeq: ${cseq} REGISTER`,
      ...extra,
      ...(authorization ? [`Authorization: ${authorization}`] : []),
      'Content-Length: 0',
    );
  const contact = 'Contact: <sip:1001@127.0.0.1:5099>';

  test('a wrong password gets 403; a replayed nonce count a fresh challenge; a digest for another URI 400', () => {
    sameOnBothPaths((peer) => {
      peer.send(plain(1, [contact]), 'fast');
      expect(peer.send(plain(2, [contact], peer.auth('1001', 'wrong')), 'fast')[0]!.status).toBe(403);
      peer.send(plain(3, [contact]), 'fast');
      const authorization = peer.auth();
      expect(peer.send(plain(4, [contact], authorization), 'fast')[0]!.status).toBe(200);
      expect(peer.send(plain(5, [contact], authorization), 'fast')[0]!.status).toBe(401);
      expect(peer.send(plain(6, [contact], peer.auth('1001', PASSWORD, 'sip:1002@sip.lab.test')), 'fast')[0]!.status).toBe(400);
      expect(peer.send(plain(7, [contact], 'Digest username="1001", realm="sip.lab.test"'), 'fast')[0]!.status).toBe(400);
      expect(peer.send(plain(8, [contact], peer.auth('1002')), 'fast')[0]!.status).toBe(403);
    });
  });

  test('an unknown extension is challenged first, and named unknown only to a user who authenticates', () => {
    sameOnBothPaths((peer) => {
      const stranger = '<sip:1009@sip.lab.test>';
      expect(peer.send(plain(1, [contact], undefined, stranger), 'fast')[0]!.status).toBe(401);
      expect(peer.send(plain(2, [contact], peer.auth('1001'), stranger), 'fast')[0]!.status).toBe(404);
    });
  });

  test('bad expiry values get 400, too short an expiry 423', () => {
    sameOnBothPaths((peer) => {
      expect(peer.send(plain(1, [contact, 'Expires: abc']), 'fast')[0]!.status).toBe(400);
      expect(peer.send(plain(2, ['Contact: <sip:1001@127.0.0.1:5099>;expires=soon']), 'fast')[0]!.status).toBe(400);
      peer.send(plain(3, [contact, 'Expires: 30']), 'fast');
      expect(peer.send(plain(4, [contact, 'Expires: 30'], peer.auth()), 'fast')[0]!.status).toBe(423);
    });
  });

  test('the overload limit answers 503 with Retry-After', () => {
    sameOnBothPaths(
      (peer) => {
        peer.send(plain(1, [contact]), 'fast');
        expect(peer.send(plain(2, [contact]), 'fast')[0]!.status).toBe(503);
      },
      'UDP',
      { maxRegistersPerSecond: 1 },
    );
  });

  test("a service's answer (the request hook) is sent instead, with the server's To tag", () => {
    sameOnBothPaths(
      (peer) => {
        expect(peer.send(plain(1, [contact]), 'fast')[0]!.status).toBe(403);
      },
      'UDP',
      { requestHook: ({ caller }) => ({ status: 403, headers: [`Warning: 399 sip.lab.test "No device for ${caller}"`] }) },
    );
  });
});

describe('What the fast path leaves to the full path, answered as before', () => {
  const base = (lines: string[]) => message('REGISTER sip:sip.lab.test SIP/2.0', ...lines);
  const via = () => `Via: SIP/2.0/UDP 127.0.0.1:5099;branch=${branch()};rport`;
  const usual = ['Max-Forwards: 70', 'From: <sip:1001@sip.lab.test>;tag=left1', 'To: <sip:1001@sip.lab.test>', 'Call-ID: left-1@127.0.0.1', 'CSeq: 1 REGISTER'];
  const contact = 'Contact: <sip:1001@127.0.0.1:5099>';

  test.each([
    ['a folded header line', () => base([via(), ...usual, 'Contact: <sip:1001@127.0.0.1:5099>', ' ;expires=600', 'Content-Length: 0'])],
    ['Require: an option the server does not support (420)', () => base([via(), ...usual, contact, 'Require: foo', 'Content-Length: 0'])],
    ['Proxy-Require (420)', () => base([via(), ...usual, contact, 'Proxy-Require: bar', 'Content-Length: 0'])],
    ['Max-Forwards: 0 (483)', () => base([via(), ...usual.slice(1), 'Max-Forwards: 0', contact])],
    ['a To tag (inside a dialog)', () => base([via(), ...usual.filter((l) => !l.startsWith('To:')), 'To: <sip:1001@sip.lab.test>;tag=abc', contact])],
    ['Contact: * with Expires: 0', () => base([via(), ...usual, 'Contact: *', 'Expires: 0'])],
    ['a sips: Request-URI over UDP (416)', () => message('REGISTER sips:sip.lab.test SIP/2.0', via(), ...usual, contact)],
    ['an RFC 2543 branch', () => base(['Via: SIP/2.0/UDP 127.0.0.1:5099;branch=1234', ...usual, contact])],
    ['an IPv6 sent-by', () => base([`Via: SIP/2.0/UDP [::1]:5099;branch=${branch()}`, ...usual, contact])],
    ['a second From', () => base([via(), ...usual, 'From: <sip:1002@sip.lab.test>;tag=x', contact])],
    ['a malformed To (400)', () => base([via(), ...usual.filter((l) => !l.startsWith('To:')), 'To: <sip:1001@sip.lab.test', contact])],
    ['a CSeq of another method (400)', () => base([via(), ...usual.filter((l) => !l.startsWith('CSeq:')), 'CSeq: 1 INVITE', contact])],
    ['no Call-ID (400)', () => base([via(), ...usual.filter((l) => !l.startsWith('Call-ID:')), contact])],
    ['a body', () => message('REGISTER sip:sip.lab.test SIP/2.0', via(), ...usual, contact, 'Content-Length: 4').replace(/\r\n\r\n$/, '\r\n\r\nabcd')],
    ['a Content-Length larger than the body (400)', () => base([via(), ...usual, contact, 'Content-Length: 10'])],
    ['bare LF line ends', () => base([via(), ...usual, contact, 'Content-Length: 0']).replace(/\r\n/g, '\n')],
    ['a lower-case method', () => message('register sip:sip.lab.test SIP/2.0', via(), ...usual, contact)],
    ['SIP/3.0 (505)', () => message('REGISTER sip:sip.lab.test SIP/3.0', via(), ...usual, contact)],
  ])('%s', (_name, build) => {
    sameOnBothPaths((peer) => {
      peer.send(build(), 'full');
    });
  });
});

describe('Answers are written as before', () => {
  /** buildResponse as it was written before responseText: header objects, then renderSip. */
  function reference(request: NonNullable<ReturnType<typeof splitSip>>, spec: ResponseSpec): string {
    const headers: HeaderLine[] = [];
    const first = (name: string) => request.headers.find((h) => canonicalName(h.name) === name)?.value;
    for (const h of request.headers) if (canonicalName(h.name) === 'via') headers.push({ name: 'Via', value: h.value });
    const from = first('from');
    const to = first('to');
    if (from !== undefined) headers.push({ name: 'From', value: from });
    if (to !== undefined) headers.push({ name: 'To', value: spec.toTag && spec.status > 100 ? withTag(to, spec.toTag) : to });
    for (const [name, key] of [['Call-ID', 'call-id'], ['CSeq', 'cseq']] as const) {
      const value = first(key);
      if (value !== undefined) headers.push({ name, value });
    }
    for (const line of spec.headers ?? []) {
      const colon = line.indexOf(':');
      headers.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
    }
    const body = spec.body ?? '';
    if (body && spec.contentType) headers.push({ name: 'Content-Type', value: spec.contentType });
    return renderSip({ startLine: `SIP/2.0 ${spec.status} ${spec.reason ?? (spec.status === 200 ? 'OK' : spec.status === 180 ? 'Ringing' : 'Unknown')}`, headers, body });
  }

  test.each<[string, ResponseSpec]>([
    ['200 with extra headers and a To tag', { status: 200, toTag: 'abc', headers: ['Contact: <sip:a@b>;expires=60', 'Server:   Rove  '] }],
    ['a provisional answer keeps To as it is', { status: 180, toTag: 'abc' }],
    ['a body with its type and length in bytes', { status: 200, body: 'v=0\r\ns=é\r\n', contentType: 'application/sdp' }],
    ['a reason of its own, and a Content-Length line left out', { status: 799, reason: 'Odd', headers: ['Content-Length: 99', 'X-Odd:x'] }],
  ])('%s', (_name, spec) => {
    const request = splitSip(message('OPTIONS sip:sip.lab.test SIP/2.0', 'Via: SIP/2.0/UDP a;branch=z9hG4bK1', 'v: SIP/2.0/UDP b;branch=z9hG4bK2', 'From: <sip:x@y>;tag=1', 'To: <sip:z@y>', 'Call-ID: c1', 'CSeq: 7 OPTIONS'))!;
    expect(buildResponse(request, spec)).toBe(reference(request, spec));
  });
});
