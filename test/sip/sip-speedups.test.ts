/**
 * The SIP speed-ups are installed explicitly and can be switched off (src/sip/speed/sip-speedups.ts): off gives
 * sip.js its own parser and header methods back, and a whole message parses the same either way.
 */
import { Core, Grammar } from 'sip.js';
import { afterAll, describe, expect, test } from 'vitest';
import { HEADERIZE_METHODS } from '../../src/sip/speed/fast-headerize.ts';
import {
  installSipSpeedups,
  sipSpeedupsWanted,
  switchSipSpeedupsOff,
  uninstallSipSpeedups,
} from '../../src/sip/speed/sip-speedups.ts';

// sip.js as shipped: importing the simulator's modules changes nothing any more.
const proto = Core.IncomingMessage.prototype as unknown as Record<string, unknown>;
const shippedParse = Grammar.parse;
const shippedMethods = HEADERIZE_METHODS.map((m) => proto[m]);

const INVITE = [
  'INVITE sip:1002@sip.lab.test SIP/2.0',
  'Via: SIP/2.0/WS 0004f2a00001.rove.invalid;branch=z9hG4bK776asdhds;rport',
  'Via: SIP/2.0/UDP [::1]:5099;branch=z9hG4bKx;received=127.0.0.1',
  'Max-Forwards: 70',
  'To: "Desk" <sip:1002@sip.lab.test>',
  'From: "Reception" <sip:1001@sip.lab.test>;tag=abc123',
  'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:1001-0004f2a00001@0004f2a00001.rove.invalid;transport=ws>;+sip.instance="<urn:uuid:1>"',
  'Record-Route: <sip:127.0.0.1;lr;transport=ws>, <sip:[::1]:5060;lr>',
  'Proxy-Authorization: Digest username="1001", realm="sip.lab.test", nonce="n1", uri="sip:1002@sip.lab.test", response="0123456789abcdef0123456789abcdef", algorithm=MD5',
  'Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER',
  'Supported: outbound, path, gruu',
  'Session-Expires: 1800;refresher=uac',
  'X-Odd-header: one',
  'x-odd-HEADER: two',
  'Content-Type: application/sdp',
  'Content-Length: 4',
  '',
  'v=0\r\n',
].join('\r\n');

/** Plain data of a parsed message: class names and every enumerable property (own or not), for deep comparison. */
function plain(value: unknown, seen = new Set<unknown>()): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? '(function)' : value;
  if (seen.has(value)) return '(cycle)';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => plain(v, seen));
  const out: Record<string, unknown> = { '(class)': value.constructor?.name };
  for (const key in value) out[key] = plain((value as Record<string, unknown>)[key], seen);
  return out;
}

const LOGGER = { log: () => {}, warn: () => {}, error: () => {}, debug: () => {} } as never;

/** The message as sip.js reads it, with every header parsed through the accessors. */
function parseWhole(text: string): unknown {
  const msg = Core.Parser.parseMessage(text, LOGGER) as Core.IncomingRequestMessage;
  const odd = msg.getHeaders('X-ODD-HEADER'); // before parseHeader drops it (no rule for it), as sip.js does
  const parsed: Record<string, unknown> = {};
  for (const name of Object.keys(msg.headers)) parsed[name] = msg.getHeaders(name).map((_, i) => plain(msg.parseHeader(name, i)));
  return { message: plain(msg), parsed, contact: msg.hasHeader('contact'), odd, after: plain(msg.headers) };
}

afterAll(() => uninstallSipSpeedups());

describe('SIP speed-ups, installed explicitly', () => {
  test('are not installed by importing the modules', () => {
    expect(Grammar.parse).toBe(shippedParse);
    expect(HEADERIZE_METHODS.map((m) => proto[m])).toEqual(shippedMethods);
  });

  test('on replaces the parser and the header methods; off restores sip.js’s originals; both are idempotent', () => {
    expect(installSipSpeedups()).toEqual({ installed: true });
    const fastParse = Grammar.parse;
    expect(fastParse).not.toBe(shippedParse);
    for (const [i, m] of HEADERIZE_METHODS.entries()) expect(proto[m], m).not.toBe(shippedMethods[i]);
    expect(installSipSpeedups()).toEqual({ installed: true });
    expect(Grammar.parse).toBe(fastParse);

    uninstallSipSpeedups();
    uninstallSipSpeedups();
    expect(Grammar.parse).toBe(shippedParse);
    expect(HEADERIZE_METHODS.map((m) => proto[m])).toEqual(shippedMethods);
    for (const m of HEADERIZE_METHODS) expect(Object.getOwnPropertyDescriptor(proto, m)?.enumerable, m).toBe(false);

    expect(installSipSpeedups()).toEqual({ installed: true }); // and on again
    expect(Grammar.parse).not.toBe(shippedParse);
  });

  test('a whole message parses identically on and off', () => {
    uninstallSipSpeedups();
    const off = parseWhole(INVITE);
    installSipSpeedups();
    const on = parseWhole(INVITE);
    const onAgain = parseWhole(INVITE); // remembered parses are handed out as copies
    expect(on).toEqual(off);
    expect(onAgain).toEqual(off);
    expect((off as { odd: string[] }).odd).toEqual(['one', 'two']);
  });

  test('ROVE_SIP_SPEEDUPS=off (or --no-sip-speedups) switches them off', () => {
    expect(sipSpeedupsWanted({})).toBe(true);
    expect(sipSpeedupsWanted({ ROVE_SIP_SPEEDUPS: 'on' })).toBe(true);
    expect(sipSpeedupsWanted({ ROVE_SIP_SPEEDUPS: 'off' })).toBe(false);
    expect(sipSpeedupsWanted({ ROVE_SIP_SPEEDUPS: ' OFF ' })).toBe(false);
    installSipSpeedups();
    const env: NodeJS.ProcessEnv = {};
    switchSipSpeedupsOff(env);
    expect(env['ROVE_SIP_SPEEDUPS']).toBe('off');
    expect(Grammar.parse).toBe(shippedParse);
  });
});
