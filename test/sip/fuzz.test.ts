import { afterAll, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { SipServer } from '../../src/sip/server/sip-server.ts';
import { StreamFramer } from '../../src/sip/server/stream-framer.ts';
import { parseAnswer, rawPeer } from './raw-peer.ts';

/** Small seeded PRNG (mulberry32): the same run every time, and a failing seed can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

const clock = new VirtualClock({ start: Date.UTC(2026, 10, 2, 9), paused: true });
const server = new SipServer({ clock, accounts: [{ extension: '1001', password: 'pw-1001' }, { extension: '1002', password: 'pw-1002' }] });
afterAll(async () => {
  await server.close();
  clock.dispose();
});

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n';

describe('Fuzzing the embedded SIP server with broken messages', () => {
  test('1000 mutated messages: no exception, no internal error, every answer is a SIP response', () => {
    const peer = rawPeer(server, clock);
    const seeds = [
      peer.request('REGISTER', 'sip:sip.lab.test', { Contact: '<sip:1001@127.0.0.1:5099>', Expires: '3600' }),
      peer.request('INVITE', 'sip:1002@sip.lab.test', { To: '<sip:1002@sip.lab.test>', Contact: '<sip:1001@127.0.0.1:5099>', 'Content-Type': 'application/sdp' }, SDP),
      peer.request('OPTIONS', 'sip:sip.lab.test'),
      peer.request('BYE', 'sip:1002@127.0.0.1:5100', { To: '<sip:1002@sip.lab.test>;tag=x' }),
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKnope\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n',
    ];
    const rnd = random(20261102);
    const junk = ['\u0000', '\u00ff', ':', ';', '<', '>', '"', '\r', '\n', '\r\n', ' ', ',', '%', 'é', '\t', 'SIP/2.0', 'Via:', '\r\n\r\n'];
    const mutations: Array<(text: string) => string> = [
      (t) => t.slice(0, rnd.int(t.length)), // truncated
      (t) => {
        const lines = t.split('\r\n');
        lines.splice(rnd.int(lines.length), 1); // a header missing
        return lines.join('\r\n');
      },
      (t) => {
        const lines = t.split('\r\n');
        const i = rnd.int(lines.length);
        lines.splice(i, 0, lines[i] ?? ''); // a header twice
        return lines.join('\r\n');
      },
      (t) => {
        const i = rnd.int(t.length);
        return t.slice(0, i) + rnd.pick(junk) + t.slice(i + 1); // one character replaced
      },
      (t) => t.replace(/Content-Length: \d+/, `Content-Length: ${rnd.pick(['-1', 'abc', '99999', '5', '', '4294967296'])}`),
      (t) => t.replace(/CSeq: [^\r]*/, `CSeq: ${rnd.pick(['', 'x', '1', '99999999999 INVITE', '1 BYE', '-5 OPTIONS'])}`),
      (t) => t.replace(/^[^\r]*/, rnd.pick(['INVITE', 'INVITE sip:1002@sip.lab.test', 'GET / HTTP/1.1', ' SIP/2.0 200', 'REGISTER  SIP/2.0', 'SIP/2.0 999 Weird'])),
      (t) => t.replace(/\r\n/g, '\n'),
      (t) => t + 'x'.repeat(rnd.int(3) === 0 ? 70_000 : 10),
      (t) => t.replace(/(Via|From|To|Contact): [^\r]*/, (_m, h: string) => `${h}: ${rnd.pick(['', '<', 'sip:', '"unterminated', '<sip:a@b', 'SIP/2.0/UDP', ';;;'])}`),
      () => Array.from({ length: rnd.int(200) }, () => String.fromCharCode(rnd.int(256))).join(''),
    ];

    let answered = 0;
    for (let i = 0; i < 1000; i++) {
      let text = rnd.pick(seeds);
      for (let m = 0, n = 1 + rnd.int(3); m < n; m++) text = rnd.pick(mutations)(text);
      const before = peer.sent.length;
      expect(() => server.receive(text, peer.flow)).not.toThrow();
      for (const answer of peer.sent.slice(before)) {
        const parsed = parseAnswer(answer);
        expect(parsed.status).toBeGreaterThanOrEqual(100);
        answered++;
      }
    }
    expect(server.stats().internalErrors).toBe(0);
    expect(server.stats().malformed).toBeGreaterThan(250);
    expect(answered).toBeGreaterThan(250);

    // Still in service.
    const ok = peer.send(peer.request('OPTIONS', 'sip:sip.lab.test'));
    expect(ok.map((a) => a.status)).toEqual([200]);
  });

  test('a TCP stream cut anywhere is reassembled into the same messages', () => {
    const peer = rawPeer(server, clock, 'TCP');
    const messages = [peer.request('OPTIONS', 'sip:sip.lab.test'), peer.request('INVITE', 'sip:1002@sip.lab.test', { 'Content-Type': 'application/sdp' }, SDP), peer.request('OPTIONS', 'sip:sip.lab.test')];
    const stream = Buffer.from('\r\n\r\n' + messages.join('') + '\r\n\r\n');
    const rnd = random(7);
    for (let round = 0; round < 200; round++) {
      const framer = new StreamFramer({ maxHeaderBytes: 16_384, maxBodyBytes: 65_536 });
      const out: string[] = [];
      for (let at = 0; at < stream.length; ) {
        const size = 1 + rnd.int(120);
        for (const frame of framer.push(stream.subarray(at, at + size))) out.push(frame.kind === 'message' ? frame.text : `problem: ${frame.problem}`);
        at += size;
      }
      expect(out).toEqual(messages);
    }
  });

  test('a TCP stream with a broken Content-Length or an endless header section is given up', () => {
    const framer = new StreamFramer({ maxHeaderBytes: 1024, maxBodyBytes: 4096 });
    expect(framer.push(Buffer.from('OPTIONS sip:a SIP/2.0\r\nContent-Length: ten\r\n\r\n'))).toMatchObject([{ kind: 'problem', fatal: true, status: 400 }]);
    expect(framer.isBroken).toBe(true);

    const endless = new StreamFramer({ maxHeaderBytes: 1024, maxBodyBytes: 4096 });
    expect(endless.push(Buffer.from('OPTIONS sip:a SIP/2.0\r\n' + 'X: y\r\n'.repeat(400)))).toMatchObject([{ kind: 'problem', fatal: true, status: 513 }]);

    const noLength = new StreamFramer({ maxHeaderBytes: 1024, maxBodyBytes: 4096 });
    expect(noLength.push(Buffer.from('OPTIONS sip:a SIP/2.0\r\nVia: x\r\n\r\nOPTIONS'))).toMatchObject([{ kind: 'problem', fatal: false, status: 400 }]);
    expect(noLength.isBroken).toBe(false);
  });
});
