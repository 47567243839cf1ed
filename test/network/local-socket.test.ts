import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatedInternet } from '../../src/network/emulated-internet.ts';
import { type LocalSocket, openLocalSocket } from '../../src/network/local-socket.ts';

/** How a request reached the server: over TCP (a remote address) or the local socket (none), with what it sent. */
interface Seen {
  tcp: boolean;
  url: string;
  rawHeaders: string[];
}

describe('the lab servers’ local socket', () => {
  const seen: Seen[] = [];
  let server: http.Server;
  let port = 0;
  let door: LocalSocket;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ tcp: req.socket.remoteAddress !== undefined, url: req.url ?? '', rawHeaders: req.rawHeaders });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`answer for ${req.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
    door = (await openLocalSocket(server))!;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the same HTTP as the TCP port, and the TCP port still answers', async () => {
    expect(door).toBeDefined();
    const get = (options: http.RequestOptions) =>
      new Promise<string>((resolve, reject) => {
        http
          .get({ path: '/0004F2A00001.cfg', headers: { host: 'emea.ipp.sdg.teams.microsoft.com', 'user-agent': 'RoveB4' }, agent: false, ...options }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve(body));
          })
          .on('error', reject);
      });
    seen.length = 0;
    expect(await get({ socketPath: door.path })).toBe('answer for /0004F2A00001.cfg');
    expect(await get({ host: '127.0.0.1', port })).toBe('answer for /0004F2A00001.cfg');
    expect(seen.map((s) => s.tcp)).toEqual([false, true]);
    // Same request line and headers (Node's client adds `Connection: close` to both without an agent).
    expect(seen[0]!.rawHeaders).toEqual(seen[1]!.rawHeaders);
  });

  it('is where the emulated internet sends a host that has one, keep-alive, with the device’s Host header', async () => {
    const internet = new EmulatedInternet();
    // A port nothing listens on: only the local socket can answer.
    internet.addHost('downloads.polycom.com', 1, 'test', { socketPath: door.path });
    seen.length = 0;
    for (const file of ['Rove30_v8003_b0009.fwu', 'RoveB4_v8003_b0009.fwu']) {
      const result = await internet.get(`http://downloads.polycom.com/voice/dect-ip-phones/Rove/${file}`, { headers: { 'user-agent': 'RoveB4 8.0.3.0009' } });
      expect(result).toMatchObject({ kind: 'response', status: 200 });
      expect(result.kind === 'response' && result.body.toString()).toBe(`answer for /voice/dect-ip-phones/Rove/${file}`);
    }
    expect(seen.map((s) => s.tcp)).toEqual([false, false]);
    expect(seen[0]!.rawHeaders.slice(0, 2)).toEqual(['user-agent', 'RoveB4 8.0.3.0009']);
    expect(seen[0]!.rawHeaders).toContain('downloads.polycom.com');
    internet.close();
  });

  it('once closed, takes no more connections (the TCP port is the server’s own and stays)', async () => {
    const other = await openLocalSocket(server);
    await other!.close();
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      net.connect({ path: other!.path }).on('error', resolve).on('connect', () => resolve(new Error('connected') as NodeJS.ErrnoException));
    });
    expect(['ECONNREFUSED', 'ENOENT']).toContain(error.code);
    const internet = new EmulatedInternet();
    internet.addHost('downloads.polycom.com', port, 'test');
    expect(await internet.get('http://downloads.polycom.com/x')).toMatchObject({ kind: 'response', status: 200 });
    internet.close();
  });
});
