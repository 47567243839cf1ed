/**
 * A bounded fuzz run over real sockets (issue 15): thousands of malformed, garbage and truncated SIP messages sent in
 * batches to the server's UDP and TCP listeners; after each batch a normal OPTIONS still gets 200 and the server has
 * had no internal error. Seeded (src/rehearsal/seeded-random.ts): a failure names its seed and batch, and replays.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { SeededRandom } from '../../src/rehearsal/seeded-random.ts';
import type { NetworkListeners } from '../../src/sip/server/listeners.ts';
import { SipServer } from '../../src/sip/server/sip-server.ts';
import { installSipSpeedups } from '../../src/sip/speed/sip-speedups.ts';

installSipSpeedups();

const SEED = 20_261_203;
const BATCHES = 8;
const PER_BATCH = 250;
/** Messages per TCP connection: a stream the server gives up on is closed, so a batch uses several. */
const PER_CONNECTION = 25;

let clock: VirtualClock;
let server: SipServer;
let addresses: NetworkListeners['addresses'];

beforeAll(async () => {
  clock = new VirtualClock({ speed: 1 });
  server = new SipServer({ clock, accounts: [{ extension: '1001', password: 'pw-1001' }, { extension: '1002', password: 'pw-1002' }] });
  addresses = await server.listen({ udp: 0, tcp: 0 });
});

afterAll(async () => {
  await server?.close();
  clock?.dispose();
});

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n';

function request(transport: 'UDP' | 'TCP', method: string, uri: string, n: number, extra: string[] = [], body = ''): string {
  return [
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/${transport} 127.0.0.1:5099;branch=z9hG4bK-fuzz-${n};rport`,
    'Max-Forwards: 70',
    'From: <sip:1001@sip.lab.test>;tag=fuzz1',
    `To: <sip:${method === 'REGISTER' ? '1001' : '1002'}@sip.lab.test>`,
    `Call-ID: fuzz-${n}@127.0.0.1`,
    `CSeq: ${n} ${method}`,
    ...extra,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** A generator of broken messages, the same for the same seed. */
function fuzzer(rnd: SeededRandom, transport: 'UDP' | 'TCP', maxBytes: number) {
  const pick = <T>(items: readonly T[]): T => items[rnd.int(items.length)]!;
  let n = 0;
  const seeds = () => [
    request(transport, 'REGISTER', 'sip:sip.lab.test', ++n, ['Contact: <sip:1001@127.0.0.1:5099>', 'Expires: 3600']),
    request(transport, 'INVITE', 'sip:1002@sip.lab.test', ++n, ['Contact: <sip:1001@127.0.0.1:5099>', 'Content-Type: application/sdp'], SDP),
    request(transport, 'OPTIONS', 'sip:sip.lab.test', ++n),
    request(transport, 'BYE', 'sip:1002@127.0.0.1:5100', ++n),
    `SIP/2.0 200 OK\r\nVia: SIP/2.0/${transport} 127.0.0.1:5099;branch=z9hG4bKnope\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`,
  ];
  const junk = ['\u0000', '\u00ff', ':', ';', '<', '>', '"', '\r', '\n', '\r\n', ' ', ',', '%', 'é', '\t', 'SIP/2.0', 'Via:', '\r\n\r\n'];
  const mutations: Array<(t: string) => string> = [
    (t) => t.slice(0, rnd.int(t.length)),
    (t) => {
      const lines = t.split('\r\n');
      lines.splice(rnd.int(lines.length), 1);
      return lines.join('\r\n');
    },
    (t) => {
      const lines = t.split('\r\n');
      const i = rnd.int(lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\r\n');
    },
    (t) => {
      const i = rnd.int(t.length);
      return t.slice(0, i) + pick(junk) + t.slice(i + 1);
    },
    (t) => t.replace(/Content-Length: \d+/, `Content-Length: ${pick(['-1', 'abc', '99999', '5', '', '4294967296'])}`),
    (t) => t.replace(/CSeq: [^\r]*/, `CSeq: ${pick(['', 'x', '1', '99999999999 INVITE', '1 BYE', '-5 OPTIONS'])}`),
    (t) => t.replace(/^[^\r]*/, pick(['INVITE', 'INVITE sip:1002@sip.lab.test', 'GET / HTTP/1.1', ' SIP/2.0 200', 'REGISTER  SIP/2.0', 'SIP/2.0 999 Weird'])),
    (t) => t.replace(/\r\n/g, '\n'),
    (t) => t + 'x'.repeat(rnd.int(4) === 0 ? 20_000 : 10),
    (t) => t.replace(/(Via|From|To|Contact): [^\r]*/, (_m, h: string) => `${h}: ${pick(['', '<', 'sip:', '"unterminated', '<sip:a@b', 'SIP/2.0/UDP', ';;;'])}`),
    () => Array.from({ length: rnd.int(300) }, () => String.fromCharCode(rnd.int(256))).join(''),
  ];
  return (): string => {
    let text = pick(seeds());
    for (let m = 0, count = 1 + rnd.int(3); m < count; m++) text = pick(mutations)(text);
    return Buffer.from(text).subarray(0, maxBytes).toString('latin1');
  };
}

/** Sends an OPTIONS and waits (bounded) for its 200, retrying: UDP may drop a datagram under a burst. */
async function optionsOverUdp(socket: UdpSocket, port: number, n: number): Promise<string> {
  const text = request('UDP', 'OPTIONS', 'sip:sip.lab.test', 1_000_000 + n).replace('127.0.0.1:5099', `127.0.0.1:${socket.address().port}`);
  for (let attempt = 0; attempt < 5; attempt++) {
    const answer = await new Promise<string | undefined>((resolve) => {
      const onMessage = (m: Buffer) => {
        const s = m.toString();
        if (s.includes(`Call-ID: fuzz-${1_000_000 + n}@`)) {
          clearTimeout(timer);
          socket.off('message', onMessage);
          resolve(s);
        }
      };
      const timer = setTimeout(() => {
        socket.off('message', onMessage);
        resolve(undefined);
      }, 1000);
      socket.on('message', onMessage);
      socket.send(text, port, '127.0.0.1');
    });
    if (answer) return answer;
  }
  return 'no answer';
}

/** Writes messages on one connection and waits (bounded) until the server has read them or closed it. */
function overTcp(port: number, messages: string[], waitFor?: string): Promise<string> {
  return new Promise((resolve) => {
    let heard = '';
    const socket = connect(port, '127.0.0.1', () => {
      for (const m of messages) socket.write(Buffer.from(m, 'latin1'));
      if (!waitFor) socket.end();
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(heard);
    }, 3000);
    socket.on('data', (d) => {
      heard += d.toString('latin1');
      if (waitFor && heard.includes(waitFor) && /\r\n\r\n/.test(heard.slice(heard.indexOf(waitFor)))) {
        clearTimeout(timer);
        socket.destroy();
        resolve(heard);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(heard);
    });
  });
}

describe('Fuzzing the SIP listeners over real sockets, in batches', () => {
  test(`UDP: ${BATCHES} × ${PER_BATCH} broken datagrams (seed ${SEED}), an OPTIONS answered 200 after each batch`, async () => {
    const next = fuzzer(new SeededRandom(SEED), 'UDP', 60_000);
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    try {
      for (let batch = 0; batch < BATCHES; batch++) {
        for (let i = 0; i < PER_BATCH; i++) socket.send(Buffer.from(next(), 'latin1'), addresses.udp!.port, '127.0.0.1');
        const answer = await optionsOverUdp(socket, addresses.udp!.port, batch);
        expect(answer, `seed ${SEED}, batch ${batch}`).toMatch(/^SIP\/2\.0 200 OK\r\n/);
        expect(server.stats().internalErrors, `seed ${SEED}, batch ${batch}`).toBe(0);
      }
    } finally {
      socket.close();
    }
    expect(server.stats().malformed).toBeGreaterThan(BATCHES * PER_BATCH * 0.2);
  }, 60_000);

  test(`TCP: ${BATCHES} × ${PER_BATCH} broken messages (seed ${SEED + 1}), ${PER_CONNECTION} per connection, an OPTIONS answered 200 after each batch`, async () => {
    const next = fuzzer(new SeededRandom(SEED + 1), 'TCP', 65_000);
    const port = addresses.tcp!.port;
    for (let batch = 0; batch < BATCHES; batch++) {
      const connections: Promise<string>[] = [];
      for (let c = 0; c < PER_BATCH / PER_CONNECTION; c++) connections.push(overTcp(port, Array.from({ length: PER_CONNECTION }, next)));
      await Promise.all(connections);
      const options = request('TCP', 'OPTIONS', 'sip:sip.lab.test', 2_000_000 + batch);
      const answer = await overTcp(port, [options], `Call-ID: fuzz-${2_000_000 + batch}@`);
      expect(answer, `seed ${SEED + 1}, batch ${batch}`).toMatch(/^SIP\/2\.0 200 OK\r\n/);
      expect(server.stats().internalErrors, `seed ${SEED + 1}, batch ${batch}`).toBe(0);
    }
  }, 60_000);
});
