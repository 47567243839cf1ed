import { Core, Grammar, NameAddrHeader, URI } from 'sip.js';
import { afterEach, describe, expect, test } from 'vitest';
import { installFastSipGrammar, useFastHeaders } from '../../src/sip/speed/fast-grammar.ts';
import { FAST_HEADER_RULES, fastHeaderParse } from '../../src/sip/speed/fast-headers.ts';
import { originalParse } from '../support/shipped-sip-grammar.ts';

/**
 * Where `actual` differs from `expected`: prototypes, own property names in order (`undefined`-valued ones count),
 * values (NaN equals NaN). Empty when they are the same parse.
 */
function differences(actual: unknown, expected: unknown, path = '$'): string[] {
  if (actual === null || expected === null || typeof actual !== 'object' || typeof expected !== 'object') {
    return Object.is(actual, expected) ? [] : [`${path}: ${String(actual)} ≠ ${String(expected)}`];
  }
  const protoA = Object.getPrototypeOf(actual) as object | null;
  const protoE = Object.getPrototypeOf(expected) as object | null;
  if (protoA !== protoE) return [`${path}: prototype ${protoA?.constructor.name} ≠ ${protoE?.constructor.name}`];
  const keysA = Reflect.ownKeys(actual);
  const keysE = Reflect.ownKeys(expected);
  if (keysA.join() !== keysE.join()) return [`${path}: keys ${keysA.join()} ≠ ${keysE.join()}`];
  return keysE.flatMap((key) =>
    differences((actual as Record<PropertyKey, unknown>)[key], (expected as Record<PropertyKey, unknown>)[key], `${path}.${String(key)}`),
  );
}

/** Values the lab sends and receives (from a rehearsal of reboot-on-sign-in-b4-30 and the SIP tests), and variants. */
const accepted: Record<string, string[]> = {
  Via: [
    'SIP/2.0/WS 0004f2a00001.rove.invalid;branch=z9hG4bK4269572',
    'SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK776asdhds;received=127.0.0.1;rport=5060',
    'SIP/2.0/TCP 10.1.2.3:5060;branch=z9hG4bKabc;rport',
    'SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK-test-1;rport',
    'SIP/2.0/WSS sip.lab.test;branch=z9hG4bK.x;received=10.0.0.1;rport=49152',
    'SIP/2.0/TLS Sip.Lab.TEST:5061;branch=z9hG4bK1',
    'sip/2.0/udp HOST.Example.COM;branch=z9hG4bK1;ttl=16;maddr=224.2.0.1',
    'SIP/2.0/UDP h.example;maddr=Mcast.Example.com;branch=z9',
    'SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2;received=10.0.0.3',
    'SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1;rport,SIP/2.0/UDP a.example;received=10.0.0.3',
    'SIP / 2.0 / UDP \t10.0.0.1 : 5060 ; branch = z9 ; rport',
    'SIP/2.0/UDP 10.0.0.1;rport=;branch=x',
    'SIP/2.0/UDP 10.0.0.1;Branch=X;RPORT;foo=bar;baz;q="quoted value";Received=192.168.0.1',
    'SIP/2.0/SCTP 255.255.255.255:65535;branch=z',
    'SIP/2.0/UDP 0.0.0.0:0;branch=z',
    'SIP/2.0/UDP 1.22.199.249:05060',
    'SIP/2.0/UDP a_b.example;branch=z',
    'SIP/2.0/UDP 1host.example;branch=z;ttl=1;ttl=255',
    'SIP/2.0/WS h;branch',
    'SIP/2.0/XUDP h.example;branch=z', // a transport the grammar reads as a token
    'SIP/2.0/UDP h;__proto__;hasOwnProperty=1;params=2', // names that are not plain keys
  ],
  From: [
    '"onboarding-000328ddc87c" <sip:onboarding-000328ddc87c@emea.sip.sdg.teams.microsoft.com>;tag=j6n0d9pjc0',
    '"User 0001" <sip:+14251000000@emea.sip.sdg.teams.microsoft.com>;tag=lkj6ccr0ev',
    '"Reception" <sip:1001@sip.lab.test>;tag=abc',
    '<sip:1001@sip.lab.test>;tag=peer1',
    'sip:1002@sip.lab.test;tag=9',
    'sip:host.example;tag=x',
    'sip:host;tag=a@b',
    'Alice Smith <sip:alice@Atlanta.COM>;tag=1928301774',
    'Alice  Bob\t<sip:a@b>',
    'Sipho <sip:x@y>;tag=1',
    '*<sip:a@b>', // a display name "*" (Contact's STAR is not an alternative here)
    'sips <sip:x@y>',
    '"" <sip:a@b>',
    '"Ünïcödé 😀" <sip:u@example.com>;tag=1',
    '"A"<sip:a@b>;tag=1',
    '"  spaced  " <sip:a@b>',
    '<SIP:Alice@ATLANTA.com:5060;Transport=TCP;lr;user=Phone>;TAG=Abc;Foo=Bar;flag',
    '<sips:bob@biloxi.example.com>;tag=a;tag=b',
    '<sip:bob@biloxi.example.com>;tag;tag=x',
    '<sip:bob@biloxi.example.com> ; tag = x ;x= "y z"',
    '<sip:a@b> ',
    '<sip:a@b;transport=udp>;+sip.instance="<urn:uuid:x>"',
    '<sip:a@b;transport=WS;x=Y;z;Q=[1]:2>',
    '<sip:a@b;user=ip;maddrx=1;ttlx>',
    '<sip:1001;npdi=yes?x/y,z@10.0.0.1>',
    '<sip:a@1.2.3.4:5>;tag=1.2.3.4',
    '<sip:a-b_c.d!e~f*g\'h(i)j&k=l+m$n@h>',
    '<sip:sip.lab.test:5060;lr>',
    '<sip:a@b;__proto__=x;constructor>;__proto__=y;hasownproperty=z',
  ],
  Contact: [
    '<sip:onboarding-000328ddc87c-0004f2a00001@0004f2a00001.rove.invalid;transport=ws>;expires=3600',
    '<sip:onboarding-000328ddc87c-0004f2a00001@0004f2a00001.rove.invalid;transport=ws;ob>',
    '<sip:1001@127.0.0.1:5099;transport=ws>;expires=3600;+sip.instance="<urn:uuid:1>", <sip:x@y>',
    '<sip:1001@127.0.0.1:5099>',
    '<sip:a@b> , <sip:c@d>;expires=5,sip:e@f;q=0.50',
    '<sip:a@b>,<sip:c@d>',
    '<sip:a@b>;q=1',
    '<sip:a@b>;q=0.5;expires=0600',
    '<sip:a@b>;q=0.;expires=0',
    '<sip:a@b>;Q=0.123;EXPIRES=99999999999999999999999',
    '<sip:a@b>;q=0',
    '<sip:a@b>;q=abc;expires=abc;expires',
    '<sip:a@b>;q;x',
    'sip:a@b;expires=60',
    '"Mr. Watson" <sip:watson@worcester.bell-telephone.com>;q=0.7;expires=3600, Watson <sips:w@bell-telephone.com>;q=0.1',
    '<sip:a@b>;reg-id=1;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"',
    '<sip:a@b> ;expires = 30 , <sip:c@d>',
  ],
  WWW_Authenticate: [
    'Digest realm="emea.sip.sdg.teams.microsoft.com", nonce="1a19b8397d8.d6a5b9358af01bac74cbd6d2", algorithm=MD5, qop="auth"',
    'Digest realm="sip.lab.test", nonce="abc", qop="auth", algorithm=MD5',
    'Digest realm="x", nonce="y", opaque="z", stale=TRUE, algorithm=md5, qop="auth,auth-int"',
    'digest realm="x",nonce="y",stale=false',
    'Digest realm="", nonce="y", algorithm=SHA-256, qop="Auth-Int,foo", foo=bar, baz="qux quux"',
    'Digest   realm = "x" ,  nonce="y"',
    'Digest\trealm="a b\tc", qop="auth" ',
    'Digest realm="x", qop="auth", qop="auth-int"',
    'Digest nonce-count=1, realmx="a", realm="r"',
  ],
  SIP_URI: [
    'sip:onboarding-000328ddc87c@emea.sip.sdg.teams.microsoft.com',
    'sip:*55*192044@emea.sip.sdg.teams.microsoft.com',
    'sip:+14251000000@emea.sip.sdg.teams.microsoft.com',
    'sip:alice@atlanta.com',
    'SIPS:Bob@Biloxi.Example.COM:5061;Transport=TLS;lr',
    'sip:sip.lab.test',
    'sip:1001@127.0.0.1:5099;transport=ws;ob',
    'sip:h;x=1;X=2',
  ],
  uuid: ['9ef9bba6-e3d3-476d-abdb-573ab58a3997', '9EF9BBA6-E3D3-476D-ABDB-573AB58A3997'],
  Call_ID: ['1-11843@127.0.0.1', 'i6ivb6hj6j48gesffu1i', 'a84b4c76e66710@pc33.atlanta.com', 'x"y@[::1]', "w(e)i<r>d:\\/?{}!%*_+`'~@h"],
};
accepted.To = accepted.From!;
accepted.Proxy_Authenticate = accepted.WWW_Authenticate!;

/** Values left to the grammar: outside the subset, or malformed (the grammar answers -1 for most). */
const declined: Record<string, string[]> = {
  Via: [
    'SIP/2.0/UDP [::1]:5099;branch=z9hG4bKx',
    'SIP/2.0/UDP 10.0.0.1;received=::1',
    'SIP/2.0/TCPX host;branch=x',
    'SIP/2.0/UDPX2 h.example;branch=z', // "UDP"i matches, then LWS fails
    'SIPS/2.0/TLS host',
    'SIP/2.0/UDP host.',
    'SIP/2.0/UDP 256.1.1.1',
    'SIP/2.0/UDP 10.0.0.01',
    'SIP/2.0/UDP 10.0.0.1:',
    'SIP/2.0/UDP 10.0.0.1:123456',
    'SIP/2.0/UDP 10.0.0.1;received=host.example',
    'SIP/2.0/UDP 10.0.0.1;received=1.2.3.04',
    'SIP/2.0/UDP 10.0.0.1;ttl=1000',
    'SIP/2.0/UDP 10.0.0.1;branch="x"',
    'SIP/2.0/UDP 10.0.0.1;branch=',
    'SIP/2.0/UDP 10.0.0.1;branch=z9\r\n ;rport',
    ' SIP/2.0/UDP 10.0.0.1',
    'SIP/2.0/UDP 10.0.0.1 ',
    'SIP/2.0/UDP example.a_b',
    'SIP/2.0/UDP 10.0.0.1,',
    'SIP/2.0/',
    'SIP/2.0/UDP10.0.0.1',
    '',
  ],
  From: [
    '<sip:a@b>;tag="q"',
    '"A\\"B" <sip:a@b>',
    '"unclosed <sip:a@b>',
    '<sip:a@[::1]>',
    '<sip:a%20b@host>',
    '<sip:alice:secret@host>',
    '<sip:a@b?subject=x>',
    '<tel:+1234>',
    '<sip:a@b>;tag=',
    '<sip:a@b;transport=tcpx>',
    '<sip:a@b;lrx>',
    '<sip:a@b;lr=on>',
    '<sip:a@b;maddr=1.2.3.4>',
    '<sip:a@b;ttl=5>',
    '<sip:a@b;method=INVITE>',
    '<sip:a@b;user=other>',
    '<sip:a@b:>',
    '<sip:a@b>;tag=1 ',
    ' <sip:a@b>',
    'Alice "Bob" <sip:a@b>',
    'sip:a@b>',
    '<sip:a@b',
    '<<<',
    '',
  ],
  Contact: [
    '*',
    '*<sip:a@b>', // STAR wins over a display name "*"
    '* <sip:a@b>',
    '<sip:a@b>;q=0.1234',
    '<sip:a@b>;q=0x',
    '<sip:a@b>;expires=12x',
    'sip:host,sip:x@y',
    '<mailto:watson@bell-telephone.com>',
    '<sip:a@b>,',
    '<sip:a@b>;x=[::1]',
  ],
  WWW_Authenticate: [
    'Digest realm="x", algorithm=MD5-sess',
    'Digest realm="x", qop="authx"',
    'Digest realm="x", qop="auth, auth-int"',
    'Digest realm=x',
    'Digest realm="x", domain="/"',
    'Basic realm="x"',
    'Digest realm="a\\"b"',
    'Digest realm="x",',
    'Digestrealm="x"',
    'Digest stale=maybe',
    'Digest algorithm="MD5"',
    'Digest qop=auth',
  ],
  SIP_URI: [
    'sip:alice:secret@atlanta.com;transport=tcp?subject=project',
    'sips:1001@[2001:db8::10]:5061',
    'mailto:nobody',
    'sip:',
    'sip:a@b;',
    'sip:a@b;=x',
    'sip:a@b;x=',
    'sip:a@b>',
  ],
  uuid: ['not-a-uuid', '9ef9bba6-e3d3-476d-abdb-573ab58a399', '{9ef9bba6-e3d3-476d-abdb-573ab58a3997}'],
  Call_ID: ['a@b@c', 'a b', '', '@x', 'x@', 'ü@x', 'a;b'],
};
declined.To = declined.From!;
declined.Proxy_Authenticate = declined.WWW_Authenticate!;

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const MUTATION_CHARS = ';=,:"<> \t@%[]/?.-_0159aZsSpP\\*+()\'!~&$\r\nü';

/** `input` with one to three random edits: insert, delete, replace, change case, repeat a piece. */
function mutate(input: string, next: () => number): string {
  let s = input;
  for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
    const at = Math.floor(next() * (s.length + 1));
    const char = MUTATION_CHARS[Math.floor(next() * MUTATION_CHARS.length)]!;
    switch (Math.floor(next() * 5)) {
      case 0:
        s = s.slice(0, at) + char + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1);
        break;
      case 2:
        s = s.slice(0, at) + char + s.slice(at + 1);
        break;
      case 3:
        s = s.slice(0, at) + s.slice(at).toUpperCase();
        break;
      default: {
        const end = at + Math.floor(next() * 12);
        s = s.slice(0, end) + s.slice(at, end) + s.slice(end);
      }
    }
  }
  return s;
}

describe('hand-written header parsers', () => {
  afterEach(() => useFastHeaders(true));

  test('answer exactly what the shipped grammar answers, prototypes included', () => {
    for (const [rule, inputs] of Object.entries(accepted)) {
      for (const input of inputs) {
        const fast = fastHeaderParse(input, rule);
        expect(fast, `${rule} should be read: ${input}`).not.toBeUndefined();
        expect(differences(fast, originalParse(input, rule)), `${rule}: ${input}`).toEqual([]);
      }
    }
    // the prototypes sip.js's code relies on (instanceof, getters, setParam)
    expect(fastHeaderParse('<sip:a@b>;tag=1', 'From')).toBeInstanceOf(NameAddrHeader);
    expect((fastHeaderParse('<sip:a@b>;tag=1', 'From') as NameAddrHeader).uri).toBeInstanceOf(URI);
    expect(Object.getPrototypeOf(fastHeaderParse('SIP/2.0/WS h;branch=z', 'Via'))).toBe(Object.prototype);
  });

  test('leave everything else to the grammar (undefined), never -1', () => {
    for (const [rule, inputs] of Object.entries(declined)) {
      for (const input of inputs) expect(fastHeaderParse(input, rule), `${rule} should be declined: ${input}`).toBeUndefined();
    }
    expect(fastHeaderParse('42 REGISTER', 'CSeq')).toBeUndefined(); // rules without a fast path
    expect(fastHeaderParse('<sip:a@b>', 'Name_Addr_Header')).toBeUndefined();
  });

  test('agree with the grammar on thousands of mutated values (or decline them)', () => {
    // Against the decode-once grammar (fast-grammar.test.ts checks it against the shipped one): 8× quicker.
    expect(installFastSipGrammar()).toEqual({ installed: true });
    useFastHeaders(false);
    const next = random(20_260_301);
    let read = 0;
    let total = 0;
    for (const rule of FAST_HEADER_RULES) {
      for (const seed of accepted[rule]!) {
        for (let i = 0; i < 60; i++) {
          const input = mutate(seed, next);
          const fast = fastHeaderParse(input, rule);
          total++;
          if (fast === undefined) continue;
          read++;
          expect(differences(fast, Grammar.parse(input, rule)), `${rule}: ${JSON.stringify(input)}`).toEqual([]);
        }
      }
    }
    expect(read).toBeGreaterThan(total / 5); // the mutations do reach the fast paths
  });

  test('a REGISTER, its 401 and its 200 parse to the same messages with and without them', () => {
    expect(installFastSipGrammar()).toEqual({ installed: true });
    const via = 'SIP/2.0/WS 0004f2a00001.rove.invalid;branch=z9hG4bK4269572';
    const from = '"User 0001" <sip:+14251000000@emea.sip.sdg.teams.microsoft.com>;tag=lkj6ccr0ev';
    const to = '<sip:+14251000000@emea.sip.sdg.teams.microsoft.com>';
    const contact = '<sip:+14251000000-0004f2a00001@0004f2a00001.rove.invalid;transport=ws>;expires=3600';
    const common = `Via: ${via}\r\nFrom: ${from}\r\nCall-ID: i6ivb6hj6j48gesffu1i\r\n`;
    const messages = [
      `REGISTER sip:emea.sip.sdg.teams.microsoft.com SIP/2.0\r\n${common}To: ${to}\r\nCSeq: 2 REGISTER\r\nMax-Forwards: 70\r\n` +
        `Contact: ${contact}\r\nExpires: 3600\r\nAllow: ACK,BYE,CANCEL,INFO,INVITE,MESSAGE,NOTIFY,OPTIONS,PRACK,REFER,REGISTER,SUBSCRIBE\r\n` +
        `Supported: path,gruu,outbound\r\nUser-Agent: rove\r\nContent-Length: 0\r\n\r\n`,
      `SIP/2.0 401 Unauthorized\r\n${common}To: ${to};tag=f60e730febcd\r\nCSeq: 2 REGISTER\r\n` +
        `WWW-Authenticate: Digest realm="emea.sip.sdg.teams.microsoft.com", nonce="1a19b8397d8.d6a5b9358af01bac74cbd6d2", algorithm=MD5, qop="auth"\r\n` +
        `Content-Length: 0\r\n\r\n`,
      `SIP/2.0 200 OK\r\nVia: ${via};received=10.1.2.3;rport=5060\r\nFrom: ${from}\r\nCall-ID: i6ivb6hj6j48gesffu1i\r\n` +
        `To: ${to};tag=f60e730febcd\r\nCSeq: 3 REGISTER\r\nContact: ${contact.replace('3600', '3599')}\r\n` +
        `Contact: <sip:other@10.0.0.9:5060>;expires=12, "Desk" <sip:desk@10.0.0.10>;q=0.5\r\nContent-Length: 0\r\n\r\n`,
    ];
    for (const value of [via, from, to, contact]) {
      const rule = value === via ? 'Via' : value === contact ? 'Contact' : 'From';
      expect(fastHeaderParse(value, rule), value).not.toBeUndefined(); // the fast paths are really used below
    }
    const logger = new Core.LoggerFactory().getLogger('test');
    const installed = Grammar.parse;
    const parseAll = (text: string) => {
      const message = Core.Parser.parseMessage(text, logger)!;
      expect(message).toBeDefined();
      // parse every header sip.js knows a rule for, as its user agents do on demand
      for (const name of ['Via', 'From', 'To', 'Contact', 'WWW-Authenticate', 'CSeq', 'Call-ID', 'Max-Forwards', 'Expires']) {
        for (let i = 0; i < message.getHeaders(name).length; i++) message.parseHeader(name, i);
      }
      return message;
    };
    for (const text of messages) {
      const fast = parseAll(text);
      Grammar.parse = originalParse;
      try {
        const slow = parseAll(text);
        expect(differences(fast, slow), text.split('\r\n')[0]).toEqual([]);
      } finally {
        Grammar.parse = installed;
      }
    }
  });
});
