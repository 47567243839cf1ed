import { Grammar, NameAddrHeader, URI } from 'sip.js';
import { describe, expect, test } from 'vitest';
import { installFastSipGrammar } from '../../src/sip/speed/fast-grammar.ts';
import { originalParse } from '../support/shipped-sip-grammar.ts';

/** Plain data of a parse result with its class names and every enumerable property (own or not), for deep comparison. */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plain);
  const out: Record<string, unknown> = { '(class)': value.constructor?.name };
  for (const key in value) out[key] = plain((value as Record<string, unknown>)[key]);
  return out;
}

const cases: Array<[rule: string, input: string]> = [
  ['Request_Response', 'INVITE sip:1002@sip.lab.test SIP/2.0'],
  ['Request_Response', 'SIP/2.0 486 Busy Here'],
  ['Request_Response', 'GET / HTTP/1.1'],
  ['Via', 'SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK776asdhds;received=127.0.0.1;rport=5060'],
  ['Via', 'SIP/2.0/UDP [::1]:5099;branch=z9hG4bKx, SIP/2.0/TCP 10.0.0.1'],
  ['Via', 'SIP/2.0/'],
  ['From', '"Reception" <sip:1001@sip.lab.test>;tag=abc'],
  ['To', '<sip:1002@sip.lab.test;transport=ws>'],
  ['To', 'sip:1002@sip.lab.test;tag=9'],
  ['Contact', '<sip:1001@127.0.0.1:5099;transport=ws>;expires=3600;+sip.instance="<urn:uuid:1>", <sip:x@y>'],
  ['Contact', '*'],
  ['CSeq', '42 REGISTER'],
  ['CSeq', 'x'],
  ['Call_ID', 'a84b4c76e66710@pc33.atlanta.example.com'],
  ['Max_Forwards', '70'],
  ['Max_Forwards', '-1'],
  ['Expires', '3600'],
  ['Content_Length', '0'],
  ['Record_Route', '<sip:127.0.0.1;lr;transport=ws>, <sip:[::1]:5060;lr>'],
  ['Route', '<sip:sip.lab.test;lr>'],
  ['WWW_Authenticate', 'Digest realm="sip.lab.test", nonce="abc", qop="auth", algorithm=MD5'],
  ['Proxy_Authenticate', 'Digest realm="sip.lab.test", nonce="abc", stale=true'],
  ['Reason', 'Q.850;cause=41;text="Connection to the other party was lost"'],
  ['Refer_To', '<sip:1003@sip.lab.test>'],
  ['SIP_URI', 'sip:alice:secret@atlanta.com;transport=tcp?subject=project'],
  ['SIP_URI', 'sips:1001@[2001:db8::10]:5061'],
  ['SIP_URI', 'mailto:nobody'],
  ['Name_Addr_Header', '"Ünïcödé" <sip:ü@example.com>'],
  ['Event', 'dialog;id=1'],
  ['Session_Expires', '1800;refresher=uac'],
  ['Supported', 'outbound, path, gruu'],
  ['Allow_Events', 'talk, hold'],
];

describe("sip.js's grammar decoded once", () => {
  test('is in place for this sip.js', () => {
    expect(installFastSipGrammar()).toEqual({ installed: true });
  });

  test('parses every header, good and bad, exactly as the shipped grammar', () => {
    for (const [rule, input] of cases) {
      const expected = plain(originalParse(input, rule));
      expect(plain(Grammar.parse(input, rule)), `${rule}: ${input}`).toEqual(expected);
      // a second parse of the same input (the decoded tables are shared now) gives the same answer again
      expect(plain(Grammar.parse(input, rule)), `${rule} again`).toEqual(expected);
    }
    expect(originalParse('x', 'CSeq')).toBe(-1);
    expect(Grammar.parse('<sip:1001@sip.lab.test>;tag=a', 'Name_Addr_Header')).toBeInstanceOf(NameAddrHeader);
    expect(Grammar.parse('sip:1001@sip.lab.test', 'SIP_URI')).toBeInstanceOf(URI);
    expect(Grammar.parse('x', 'CSeq')).toBe(-1);
  });

  test('a remembered parse is handed out as a copy: changing one result does not change the next', () => {
    const first = Grammar.parse('"Reception" <sip:1001@sip.lab.test>;tag=abc', 'From') as NameAddrHeader;
    first.setParam('tag', 'changed');
    first.uri.user = 'someone-else';
    const second = Grammar.parse('"Reception" <sip:1001@sip.lab.test>;tag=abc', 'From') as NameAddrHeader;
    expect(second).not.toBe(first);
    expect(second.getParam('tag')).toBe('abc');
    expect(second.uri.user).toBe('1001');
    expect(second.toString()).toBe('"Reception" <sip:1001@sip.lab.test>;tag=abc');
  });
});
