import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatedInternet } from '../../src/network/emulated-internet.ts';

/** What a server saw of each request: method, path and headers in wire order. */
type Seen = [string, string, string[]];

describe('emulated internet', () => {
  const seen: Seen[] = [];
  let server: http.Server;
  let port = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push([req.method ?? '', req.url ?? '', req.rawHeaders]);
      res.writeHead(req.url === '/missing.cfg' ? 404 : 200, { 'content-type': 'text/plain' });
      res.end(`answer for ${req.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** The request `http.request(url)` itself sends for `url`, to the same server. */
  function reference(url: string, headers: Record<string, string>): Promise<void> {
    const agent = new http.Agent({ keepAlive: true });
    agent.createConnection = () => net.connect({ port, host: '127.0.0.1' });
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'GET', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          agent.destroy();
          resolve();
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('sends an emulated host the request a device would send to the real one', async () => {
    const internet = new EmulatedInternet();
    internet.addHost('emea.ipp.sdg.teams.microsoft.com', port, 'test');
    const headers = { 'user-agent': 'RoveB4 8.0.3.0009 0004F2A00001' };
    for (const url of [
      'http://emea.ipp.sdg.teams.microsoft.com/tenantid/x/0004F2A00001.cfg',
      'http://emea.ipp.sdg.teams.microsoft.com:8080/a/b%20c.cfg?x=1#fragment',
      'http://us%40er:p%3Aw@EMEA.ipp.sdg.teams.microsoft.com/lang_de/0004F2A00001.cfg',
    ]) {
      seen.length = 0;
      const result = await internet.get(url, { headers });
      await reference(url, headers);
      expect(result.kind).toBe('response');
      expect(seen).toHaveLength(2);
      expect(seen[0]).toEqual(seen[1]);
    }
    const missing = await internet.get('http://emea.ipp.sdg.teams.microsoft.com/missing.cfg', { headers });
    expect(missing).toMatchObject({ kind: 'response', status: 404 });
    expect(missing.kind === 'response' && missing.body.toString()).toBe('answer for /missing.cfg');
    internet.close();
  });

  it('fails unknown names as DNS does, and https to an emulated host', async () => {
    const internet = new EmulatedInternet();
    internet.addHost('downloads.polycom.com', port, 'test');
    expect(await internet.get('http://nowhere.example/x')).toMatchObject({ kind: 'failure', reason: 'dns' });
    expect(await internet.get('https://downloads.polycom.com/x')).toMatchObject({
      kind: 'failure',
      reason: 'tls-unsupported',
      message: 'TLS handshake with downloads.polycom.com:443 failed (the server offers no TLS; its URLs are http://)',
    });
    expect(await internet.get('not a url')).toMatchObject({ kind: 'failure', reason: 'invalid-url' });
    internet.close();
  });

  it('a network cut stops the devices it names, for HTTP and for the paths of their SIP flows, until it is lifted', async () => {
    const internet = new EmulatedInternet();
    internet.addHost('downloads.polycom.com', port, 'test');
    const cutBase = 'RoveB4 8.0.3.0009 0004F2A00001';
    const otherBase = 'RoveB4 8.0.3.0009 0004F2A00002';
    const sip = internet.path(() => cutBase, 'sip.lab.test');
    const otherSip = internet.path(() => otherBase, 'sip.lab.test');
    const lift = internet.cut((from, host) => (from.endsWith('0004F2A00001') ? `no route to host ${host} (network down)` : undefined));
    seen.length = 0;
    expect(await internet.get('http://downloads.polycom.com/x', { from: cutBase })).toEqual({
      kind: 'failure',
      reason: 'network',
      message: 'no route to host downloads.polycom.com (network down)',
    });
    expect(seen).toHaveLength(0);
    expect(internet.requestLog()[0]).toMatchObject({ url: 'http://downloads.polycom.com/x', outcome: 'network: no route to host downloads.polycom.com (network down)', from: cutBase });
    expect(await internet.get('http://downloads.polycom.com/x', { from: otherBase })).toMatchObject({ kind: 'response', status: 200 });
    expect(sip.blocked()).toBe('no route to host sip.lab.test (network down)');
    expect(otherSip.blocked()).toBeUndefined();
    lift();
    expect(sip.blocked()).toBeUndefined();
    expect(await internet.get('http://downloads.polycom.com/x', { from: cutBase })).toMatchObject({ kind: 'response', status: 200 });
    internet.close();
  });
});

describe('a server that answers a byte at a time', () => {
  let server: http.Server;
  let port = 0;
  let open = 0;
  beforeAll(async () => {
    // Drips one byte every 50 ms and never ends: the idle timeout never fires.
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(timer));
    });
    server.on('connection', (socket) => {
      open++;
      socket.on('close', () => open--);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const settledConnections = async () => {
    for (let i = 0; i < 100 && open > 0; i++) await new Promise((r) => setTimeout(r, 20));
    return open;
  };

  it('is given up at the total deadline (not only after an idle pause), and its connection is closed', async () => {
    const internet = new EmulatedInternet();
    const r = await internet.get(`http://127.0.0.1:${port}/00${'1'.repeat(10)}.cfg`, { timeoutMs: 5_000, deadlineMs: 300 });
    expect(r).toMatchObject({ kind: 'failure', reason: 'timeout', message: '127.0.0.1 did not finish answering within 300 ms' });
    expect(await settledConnections()).toBe(0);
  });

  it('is abandoned when the device that asked goes away (abort), and its connection is closed', async () => {
    const internet = new EmulatedInternet();
    const abort = new AbortController();
    const pending = internet.get(`http://127.0.0.1:${port}/fw.fwu`, { timeoutMs: 5_000, signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    expect(await pending).toMatchObject({ kind: 'failure', reason: 'aborted' });
    expect(await settledConnections()).toBe(0);
  });
});
