/**
 * The remembering header methods (src/sip/speed/fast-headerize.ts) behave as sip.js's own: same canonical names, same header
 * maps and parses for whole messages, same answers to every accessor.
 */
import { Core } from 'sip.js';
import { describe, expect, test } from 'vitest';

// sip.js's methods as shipped, taken before the fast ones replace them.
const proto = Core.IncomingMessage.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
const METHODS = ['addHeader', 'getHeader', 'getHeaders', 'hasHeader', 'parseHeader', 'setHeader'] as const;
const shipped = Object.fromEntries(METHODS.map((m) => [m, proto[m]!]));
const { headerize: shippedHeaderize } = (await import('sip.js/lib/core/messages/utils.js' as string)) as { headerize: (s: string) => string };
const { headerize, headerizeOnce, installFastHeaderize } = await import('../../src/sip/speed/fast-headerize.ts');
installFastHeaderize();
const fast = Object.fromEntries(METHODS.map((m) => [m, proto[m]!]));

const NAMES = [
  'via', 'v', 'Via', 'VIA', 'call-id', 'Call-ID', 'CALL_ID', 'cseq', 'CSeq', 'www-authenticate', 'WWW-Authenticate',
  'min-se', 'rack', 'rseq', 'record-route', 'content-length', 'X-Custom-Header', 'x_custom', 'a--b', '-lead', 'trail-',
  '', 'P-Asserted-Identity', 'user-agent', 'max-forwards', 'proxy-authenticate', 'Allow-Events', 'é-ñ',
];

const REGISTER = [
  'REGISTER sip:sip.lab.test SIP/2.0',
  'Via: SIP/2.0/WS 0004f2a00001.rove.invalid;branch=z9hG4bK5551212;rport',
  'Max-Forwards: 70',
  'To: <sip:1001@sip.lab.test>',
  'From: "Reception" <sip:1001@sip.lab.test>;tag=abc123',
  'Call-ID: 9f8e7d6c5b4a',
  'CSeq: 2 REGISTER',
  'Contact: <sip:1001-0004f2a00001@0004f2a00001.rove.invalid;transport=ws>;expires=3600',
  'Authorization: Digest username="1001", realm="sip.lab.test", nonce="n1", uri="sip:sip.lab.test", response="0123456789abcdef0123456789abcdef", algorithm=MD5, qop=auth, nc=00000001, cnonce="c1"',
  'X-Odd-header: one',
  'x-odd-HEADER: two',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

/** Parses with sip.js's parser, with either set of methods in place. */
function parseWith(methods: Record<string, unknown>, text: string): Core.IncomingRequestMessage {
  for (const m of METHODS) proto[m] = methods[m] as (...args: unknown[]) => unknown;
  try {
    return Core.Parser.parseMessage(text, { log: () => {}, warn: () => {}, error: () => {}, debug: () => {} } as never) as Core.IncomingRequestMessage;
  } finally {
    for (const m of METHODS) proto[m] = fast[m] as (...args: unknown[]) => unknown;
  }
}

describe('Header names canonicalised once', () => {
  test('headerize and its remembered form give what sip.js gives, for every kind of name', () => {
    for (const name of NAMES) {
      expect(headerize(name), name).toBe(shippedHeaderize(name));
      expect(headerizeOnce(name), name).toBe(shippedHeaderize(name));
      expect(headerizeOnce(name), `${name} again`).toBe(shippedHeaderize(name));
    }
  });

  test('a whole REGISTER parses to the same headers, parses and accessor answers with either methods', () => {
    const before = parseWith(shipped, REGISTER);
    const after = parseWith(fast, REGISTER);
    expect(after.headers).toEqual(before.headers);
    expect(after.from.uri.toString()).toBe(before.from.uri.toString());
    for (const name of NAMES) {
      expect(after.getHeader(name), name).toEqual(before.getHeader(name));
      expect(after.getHeaders(name), name).toEqual(before.getHeaders(name));
      expect(after.hasHeader(name), name).toBe(before.hasHeader(name));
    }
    expect(after.getHeaders('x-odd-header')).toEqual(['one', 'two']);
    expect(after.parseHeader('contact', 5)).toBeUndefined();
    // A header that does not parse is dropped by parseHeader (an empty list stays behind), as sip.js does.
    for (const msg of [before, after]) {
      msg.setHeader('CSeq', 'not a cseq');
      expect(msg.parseHeader('cseq')).toBeUndefined();
    }
    expect(after.headers['CSeq']).toEqual([]);
    expect(after.hasHeader('CSeq')).toBe(before.hasHeader('CSeq'));
    expect(after.getHeader('CSeq')).toBe(before.getHeader('CSeq'));
  });
});
