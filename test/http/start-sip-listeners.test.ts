/**
 * `rove-sim start` opens the lab's SIP server to outside SIP tools on loopback (UDP, TCP, WebSocket), prints where, and
 * answers there: an OPTIONS over UDP, TCP and TLS, as sipsak or SIPp would send it.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/http/start-server.ts';

const options = (transport: 'UDP' | 'TCP' | 'TLS', port: number) =>
  [
    'OPTIONS sip:sip.lab.test SIP/2.0',
    `Via: SIP/2.0/${transport} 127.0.0.1:${port};branch=z9hG4bK-start-${transport.toLowerCase()}`,
    'Max-Forwards: 70',
    'From: <sip:probe@127.0.0.1>;tag=probe1',
    'To: <sip:sip.lab.test>',
    `Call-ID: start-sip-${transport}@127.0.0.1`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

describe('rove-sim start: SIP for outside tools', () => {
  it('listens on loopback UDP, TCP, TLS and WebSocket, prints the addresses, and answers OPTIONS on UDP, TCP and TLS (sips:)', async () => {
    const lines: string[] = [];
    const sim = await startSimulator({ labFile: ':memory:', host: '127.0.0.1', port: 0, basePort: 0, teamsPort: 0, speed: 1, sipPort: 0, log: (l) => lines.push(l) });
    try {
      const { udp, tcp, tls, ws } = sim.sip!;
      expect(lines.join('\n')).toContain(`SIP (lab server sip.lab.test): udp 127.0.0.1:${udp!.port}, tcp 127.0.0.1:${tcp!.port}, tls 127.0.0.1:${tls!.port} (self-signed), ${ws!.url}`);

      const socket = createSocket('udp4');
      const udpAnswer = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer over UDP in 5 s')), 5_000);
        socket.once('message', (m) => {
          clearTimeout(timer);
          resolve(m.toString());
        });
        socket.bind(0, '127.0.0.1', () => socket.send(options('UDP', (socket.address()).port), udp!.port, '127.0.0.1'));
      });
      socket.close();
      expect(udpAnswer).toMatch(/^SIP\/2\.0 200 OK\r\n/);

      const tcpAnswer = await new Promise<string>((resolve, reject) => {
        const c = connect(tcp!.port, '127.0.0.1', () => c.write(options('TCP', c.localPort!)));
        const timer = setTimeout(() => reject(new Error('no answer over TCP in 5 s')), 5_000);
        c.once('data', (d) => {
          clearTimeout(timer);
          c.destroy();
          resolve(d.toString());
        });
        c.once('error', reject);
      });
      expect(tcpAnswer).toMatch(/^SIP\/2\.0 200 OK\r\n/);

      // TLS with the lab's self-signed certificate, checked as a client that trusts it (the lab's own CA of one).
      const { cert } = await sim.lab.sipTlsIdentity();
      const tlsAnswer = await new Promise<string>((resolve, reject) => {
        const c = connectTls({ host: '127.0.0.1', port: tls!.port, ca: cert, servername: 'sip.lab.test' }, () =>
          c.write(options('TLS', c.localPort!).replace('OPTIONS sip:sip.lab.test', 'OPTIONS sips:sip.lab.test')),
        );
        const timer = setTimeout(() => reject(new Error('no answer over TLS in 5 s')), 5_000);
        c.once('data', (d) => {
          clearTimeout(timer);
          c.destroy();
          resolve(d.toString());
        });
        c.once('error', reject);
      });
      expect(tlsAnswer).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    } finally {
      await sim.close();
    }
  });

  it('opens no SIP port with sipPort null (--no-sip)', async () => {
    const lines: string[] = [];
    const sim = await startSimulator({ labFile: ':memory:', host: '127.0.0.1', port: 0, basePort: 0, teamsPort: 0, speed: 1, sipPort: null, log: (l) => lines.push(l) });
    expect(sim.sip).toBeUndefined();
    expect(lines.join('\n')).not.toContain('SIP (lab server');
    await sim.close();
  });
});
