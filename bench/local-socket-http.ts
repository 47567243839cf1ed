/**
 * `npm run bench:http-socket`: µs per keep-alive HTTP request from Node's client to a Node HTTP server in the same
 * process, over TCP loopback and over the server's local socket (src/network/local-socket.ts, as the lab's devices
 * reach the lab's servers), one at a time and in batches of 4 (a base fetching its handsets' files). Not a test: it
 * only measures (the socket's behaviour is tested in test/network/local-socket.test.ts).
 */
import http from 'node:http';
import type net from 'node:net';
import { openLocalSocket } from '../src/network/local-socket.ts';

const FILE = '%SIP_SERVER%: "emea.sip.sdg.teams.microsoft.com"\n'.repeat(20);
const server = http.createServer((_req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end(FILE);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const door = await openLocalSocket(server);
if (!door) throw new Error('no local socket on this platform');
const port = (server.address() as net.AddressInfo).port;
const get = (options: http.RequestOptions) =>
  new Promise<void>((resolve, reject) => {
    http.get({ path: '/00000328DDC87C.cfg', headers: { host: 'emea.ipp.sdg.teams.microsoft.com' }, ...options }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
const N = 4_000;
/** Wall and CPU µs per request since `started` / `cpu`. */
function perRequest(started: number, cpu: NodeJS.CpuUsage, requests: number): { wall: number; cpu: number } {
  const used = process.cpuUsage(cpu);
  return { wall: ((performance.now() - started) * 1000) / requests, cpu: (used.user + used.system) / requests };
}
for (const [name, where] of [['TCP loopback', { host: '127.0.0.1', port }], ['local socket', { socketPath: door.path }]] as const) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const options = { ...where, agent };
  for (let i = 0; i < 200; i++) await get(options);
  let started = performance.now();
  let cpu = process.cpuUsage();
  for (let i = 0; i < N; i++) await get(options);
  const one = perRequest(started, cpu, N);
  started = performance.now();
  cpu = process.cpuUsage();
  for (let i = 0; i < N / 4; i++) await Promise.all([get(options), get(options), get(options), get(options)]);
  const four = perRequest(started, cpu, N);
  console.log(`${name.padEnd(13)} one at a time ${one.wall.toFixed(0).padStart(4)} µs/request (${one.cpu.toFixed(0)} µs CPU), in fours ${four.wall.toFixed(0).padStart(4)} µs/request (${four.cpu.toFixed(0)} µs CPU)`);
  agent.destroy();
}
await door.close();
server.close();
