import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { DigestAuthority, digestParams, md5, parseDigest } from '../../src/sip/server/digest.ts';
import { newBranch, newTag } from '../../src/sip/server/server-context.ts';
import { buildResponse, canonicalName, headerParam, splitSip, withTag } from '../../src/sip/server/sip-text.ts';
import { digestAnswer } from './raw-peer.ts';

const REALM = 'sip.lab.test';
const LIFETIME = 5 * 60_000;
const T0 = Date.UTC(2026, 10, 2, 9);

/** The credentials a client sends for a challenge. */
function answer(challenge: string, password = 'pw', method = 'REGISTER', uri = 'sip:sip.lab.test') {
  return parseDigest(digestAnswer(challenge, '1001', password, method, uri, REALM))!;
}

describe('Digest nonces', () => {
  test('MD5 is RFC 1321 MD5 of the UTF-8 text', () => {
    expect(md5('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    for (const text of ['1001:sip.lab.test:rove-secret-1', 'pässwörd', '☎']) {
      expect(md5(text)).toBe(createHash('md5').update(text, 'utf8').digest('hex'));
    }
  });

  test('a nonce is accepted while fresh, stale after its lifetime, whether or not its signature is still remembered', () => {
    const digest = new DigestAuthority(REALM, LIFETIME);
    const first = digest.challenge(T0);
    // Many later challenges, each at its own time: the first one's signature is no longer remembered.
    for (let i = 1; i <= 200; i++) digest.challenge(T0 + i);
    expect(digest.check(answer(first), 'REGISTER', 'pw', T0 + 1_000)).toEqual({ ok: true });
    expect(digest.check(answer(first), 'REGISTER', 'nope', T0 + 1_000)).toEqual({ ok: false, reason: 'wrong-password' });
    expect(digest.check(answer(first), 'REGISTER', 'pw', T0 + LIFETIME + 1)).toEqual({ ok: false, reason: 'stale' });
    const latest = digest.challenge(T0 + 300);
    expect(digest.check(answer(latest), 'REGISTER', 'pw', T0 + 300)).toEqual({ ok: true });
  });

  test('nonces the server did not issue are refused: forged, altered, or from another server', () => {
    const digest = new DigestAuthority(REALM, LIFETIME);
    const other = new DigestAuthority(REALM, LIFETIME);
    const issued = digest.challenge(T0);
    const nonce = /nonce="([^"]+)"/.exec(issued)![1]!;
    const [time, signature] = nonce.split('.');
    const withNonce = (n: string) => `Digest realm="${REALM}", nonce="${n}", algorithm=MD5, qop="auth"`;
    const refused = { ok: false, reason: 'bad-nonce' };
    expect(digest.check(answer(other.challenge(T0)), 'REGISTER', 'pw', T0)).toEqual(refused);
    expect(digest.check(answer(withNonce(`${(T0 + 1).toString(16)}.${signature}`)), 'REGISTER', 'pw', T0)).toEqual(refused);
    expect(digest.check(answer(withNonce(`${time}.${'0'.repeat(24)}`)), 'REGISTER', 'pw', T0)).toEqual(refused);
    expect(digest.check(answer(withNonce('garbage')), 'REGISTER', 'pw', T0)).toEqual(refused);
    // …and a forged one checked twice is still refused (checking remembers nothing).
    expect(digest.check(answer(withNonce(`${(T0 + 2).toString(16)}.${signature}`)), 'REGISTER', 'pw', T0)).toEqual(refused);
    expect(digest.check(answer(withNonce(`${(T0 + 2).toString(16)}.${signature}`)), 'REGISTER', 'pw', T0)).toEqual(refused);
    expect(digest.check(answer(issued), 'REGISTER', 'pw', T0)).toEqual({ ok: true });
  });

  test('quoted values with escapes are unescaped; plain ones are taken as they are', () => {
    const parsed = parseDigest('Digest username="10\\"01", realm="sip.lab.test", nonce=abc, uri="sip:x", response="r"');
    expect(parsed).toMatchObject({ username: '10"01', realm: 'sip.lab.test', nonce: 'abc', uri: 'sip:x', response: 'r' });
  });

  test('the hand reading of a credential gives what the regular expressions give, for every shape (seeded fuzz)', () => {
    /** The credential as the regular expressions alone read it (the reading before the hand-written one). */
    const byRegex = (value: string) => {
      const params = digestParams(value);
      if (!params || [params.username, params.realm, params.nonce, params.uri, params.response].includes(undefined)) return undefined;
      const { username, realm, nonce, uri, response, algorithm, qop, nc, cnonce, opaque } = params;
      return { username, realm, nonce, uri, response, algorithm, qop, nc, cnonce, opaque };
    };
    const real = digestAnswer(`Digest realm="${REALM}", nonce="18c.abc", algorithm=MD5, qop="auth"`, '1001', 'pw', 'REGISTER', 'sip:sip.lab.test', REALM);
    const pieces = ['Digest', 'digest', 'DIGEST', ' ', '  ', '\t', '\r\n', ',', ', ', '=', ' = ', '"', '\\', '\\"', 'username', 'realm', 'nonce',
      'uri', 'response', 'qop', 'nc', 'cnonce', 'x-y_z', '__proto__', 'abc', 'sip:1001@sip.lab.test', '00000001', 'auth', '\u00a0', '\u2028', 'é', '\v', ';', 'a=b'];
    let x = 7;
    const next = (n: number) => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x % n;
    };
    const values = [real, ` ${real} `, real.replace(/, /g, ','), real.replace('Digest ', 'Digest\t'), real + ',', real + ', nc=00000002', 'Basic abc'];
    for (let i = 0; i < 3000; i++) {
      // Mostly well-formed credentials with one change, and some soups of pieces.
      if (i % 3 === 0) {
        let soup = '';
        for (let k = next(14); k >= 0; k--) soup += pieces[next(pieces.length)];
        values.push(soup);
      } else {
        const at = next(real.length);
        const piece = pieces[next(pieces.length)]!;
        values.push(next(2) ? real.slice(0, at) + piece + real.slice(at) : real.slice(0, at) + piece + real.slice(at + 1 + next(4)));
      }
    }
    for (const value of values) expect(parseDigest(value), JSON.stringify(value)).toEqual(byRegex(value));
  });
});

describe('Tags and branches', () => {
  test('are fresh random hex of the usual length, never repeated', () => {
    const tags = Array.from({ length: 3000 }, () => newTag());
    const branches = Array.from({ length: 3000 }, () => newBranch());
    expect(tags.every((t) => /^[0-9a-f]{12}$/.test(t))).toBe(true);
    expect(branches.every((b) => /^z9hG4bK[0-9a-f]{16}$/.test(b))).toBe(true);
    expect(new Set(tags).size).toBe(tags.length);
    expect(new Set(branches).size).toBe(branches.length);
  });
});

describe('SIP text', () => {
  test('header names: compact forms, any case, spaces; unknown names as they are, lower-cased', () => {
    for (let round = 0; round < 2; round++) {
      expect(['v', 'V', ' Via ', 'i', 'm', 'X-Custom', 'l'].map(canonicalName)).toEqual(['via', 'via', 'via', 'call-id', 'contact', 'x-custom', 'content-length']);
    }
  });

  test('a response copies every Via line and the first From, To, Call-ID and CSeq, and tags To once', () => {
    const request = splitSip(
      [
        'REGISTER sip:sip.lab.test SIP/2.0',
        'v: SIP/2.0/UDP a;branch=z9hG4bK1',
        'Via: SIP/2.0/UDP b;branch=z9hG4bK2, SIP/2.0/UDP c;branch=z9hG4bK3',
        'f: <sip:1001@sip.lab.test>;tag=x',
        'To: <sip:1001@sip.lab.test>',
        'To: <sip:9999@sip.lab.test>',
        'i: call-1',
        'CSeq: 2 REGISTER',
        'Contact: <sip:1001@h>',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    )!;
    expect(buildResponse(request, { status: 401, toTag: 'abc', headers: ['WWW-Authenticate: Digest realm="r"'] }).split('\r\n')).toEqual([
      'SIP/2.0 401 Unauthorized',
      'Via: SIP/2.0/UDP a;branch=z9hG4bK1',
      'Via: SIP/2.0/UDP b;branch=z9hG4bK2, SIP/2.0/UDP c;branch=z9hG4bK3',
      'From: <sip:1001@sip.lab.test>;tag=x',
      'To: <sip:1001@sip.lab.test>;tag=abc',
      'Call-ID: call-1',
      'CSeq: 2 REGISTER',
      'WWW-Authenticate: Digest realm="r"',
      'Content-Length: 0',
      '',
      '',
    ]);
    expect(buildResponse(request, { status: 100, toTag: 'abc' })).toContain('\r\nTo: <sip:1001@sip.lab.test>\r\n');
    expect(withTag('<sip:1@h>;tag=old', 'new')).toBe('<sip:1@h>;tag=old');
    expect(headerParam('<sip:1@h;expires=9>;Expires = "60"', 'expires')).toBe('60');
    expect(headerParam('<sip:1@h;expires=9>', 'expires')).toBeUndefined();
  });
});
