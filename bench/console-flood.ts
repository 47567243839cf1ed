/**
 * Console flood: while 50 WebSocket consoles send key frames at a total rate (default 8,000 frames/s, what pushed
 * `/api/health` p99 past a second before consoles were rate-limited; 0 = as fast as the sockets take them), for a
 * bounded 5 s, how long does `/api/health` take? The simulator runs as `rove-sim start` in its own process (the flood
 * comes from this one), so the numbers are the server's. Prints frames sent and answered, health p50/p99/max.
 * Usage: node --import tsx bench/console-flood.ts [clients] [seconds] [frames-per-second]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startSimulatorProcess } from '../test/support/simulator-process.ts';

const clients = Number(process.argv[2] ?? 50);
const seconds = Number(process.argv[3] ?? 5);
const rate = Number(process.argv[4] ?? 8000);
const dir = mkdtempSync(path.join(tmpdir(), 'rove-flood-'));
const sim = await startSimulatorProcess(path.join(dir, 'lab.db'), 1);
try {
  const handsets = ((await (await fetch(`${sim.url}/api/handsets`)).json()) as { items: Array<{ ipei: string }> }).items;
  const sockets = await Promise.all(
    Array.from({ length: clients }, (_, i) => {
      const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/consoles/${handsets[i % handsets.length]!.ipei}`);
      return new Promise<WebSocket>((resolve, reject) => {
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    }),
  );
  let sent = 0;
  let received = 0;
  for (const ws of sockets) ws.on('message', () => received++);
  const end = performance.now() + seconds * 1000;
  // Every 10 ms each client sends its share of the rate (rate 0: as much as its socket buffer takes).
  const perTick = rate > 0 ? rate / 100 / clients : Infinity;
  let owed = 0;
  const pump = () => {
    owed += perTick;
    for (const ws of sockets) {
      let n = 0;
      while ((rate > 0 ? n < Math.floor(owed) : ws.bufferedAmount < 64 * 1024 && n < 200) && performance.now() < end) {
        ws.send('{"type":"keys","keys":"{down}"}');
        sent++;
        n++;
      }
    }
    owed -= Math.floor(owed);
    if (performance.now() < end) setTimeout(pump, 10);
  };
  pump();
  const latencies: number[] = [];
  while (performance.now() < end) {
    const t = performance.now();
    await fetch(`${sim.url}/api/health`);
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const ws of sockets) ws.terminate();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  console.log(
    `console flood: ${clients} consoles, ${seconds} s, ${Math.round(sent / seconds)} frames/s sent, ${Math.round(received / seconds)} frames/s answered; ` +
      `/api/health ${latencies.length} requests: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
  );
} finally {
  await sim.kill();
  rmSync(dir, { recursive: true, force: true });
}
