/**
 * `npm run bench:classroom`: a classroom of 30 trainees on first-login-and-firmware.yaml (each lab one Rove B4 and
 * four handsets, the factory template) at real-time speed, in this one process, as `rove-sim classroom` runs it:
 *
 * 1. **Start**: from an empty directory (every starting lab made) until every lab runs and every port listens (and
 *    until every trainee's pages are built, which goes on in the background); then stopped and started
 *    again on the same directory (every lab continued), the start a trainer sees after a restart.
 * 2. **RSS** once started, and the peak (maxRSS) at the end of the active phase.
 * 3. **Active phase** (`--seconds`, default 60; the bases finish booting after 90 s, so a longer run also has them up):
 *    every trainee logged in with their cookie, a console WebSocket on each of their four handsets, pressing a key
 *    every 200 ms on one of them in turn (timed from `send` to the next `view` frame); their trainee view polling
 *    `status.json` every second (as its script does) and their base's web admin every 5 s; the instructor page
 *    polling `classroom.json` every 2 s. Meanwhile one trainee's Check (`room.check()`, the grade of every task) is timed every 250 ms, round robin.
 *
 * Options: --trainees N (30), --seconds S (60), --exercise FILE.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startClassroom, type RunningClassroom } from '../src/classroom/start-classroom.ts';
import type { TraineeRoom } from '../src/classroom/trainee-room.ts';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const trainees = Number(option('--trainees') ?? 30);
const seconds = Number(option('--seconds') ?? 60);
const exercise = path.resolve(option('--exercise') ?? 'fixtures/exercises/first-login-and-firmware.yaml');
const INSTRUCTOR = 'bench-instructor-1';
const MB = 1048576;

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const summary = (values: number[]) => `n ${values.length}, p50 ${pct(values, 50).toFixed(2)} ms, p99 ${pct(values, 99).toFixed(2)} ms, max ${Math.max(...values).toFixed(2)} ms`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function cookieOf(classroom: RunningClassroom, login: string, password: string): Promise<string> {
  const res = await fetch(`${classroom.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
  if (!res.ok) throw new Error(`${login} could not log in: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

interface Console {
  ws: WebSocket;
  waiting: Array<() => void>;
}

function openConsole(url: string, cookie: string): Promise<Console> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { cookie } });
    const entry: Console = { ws, waiting: [] };
    let views = 0;
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string };
      if (frame.type !== 'view') return;
      if (++views === 1) resolve(entry);
      for (const f of entry.waiting.splice(0)) f();
    });
    ws.on('error', reject);
  });
}

const results: Array<[string, string]> = [];
const dir = mkdtempSync(path.join(tmpdir(), 'rove-bench-classroom-'));
try {
  const rss0 = process.memoryUsage().rss;
  let t0 = performance.now();
  let classroom = await startClassroom({ exercise, dir, trainees, port: 0, instructorPassword: INSTRUCTOR, log: () => undefined });
  const firstStart = performance.now() - t0;
  await classroom.ready;
  const firstReady = performance.now() - t0;
  const passwords = new Map(classroom.generated.trainees!.map((t) => [t.login, t.password]));
  await classroom.close();
  t0 = performance.now();
  classroom = await startClassroom({ exercise, dir, port: 0, log: () => undefined });
  const restart = performance.now() - t0;
  await classroom.ready;
  const restartReady = performance.now() - t0;
  const rssStarted = process.memoryUsage().rss;
  results.push(['Start (new classroom)', `${trainees} trainees, one lab each (1 B4 + 4 handsets): ${(firstStart / 1000).toFixed(2)} s until every lab runs and every port listens (target ≤ 5 s); every page built after ${(firstReady / 1000).toFixed(2)} s`]);
  results.push(['Start (same directory)', `${(restart / 1000).toFixed(2)} s, every lab continued (target ≤ 5 s); every page built after ${(restartReady / 1000).toFixed(2)} s`]);
  results.push(['RSS once started', `${Math.round(rssStarted / MB)} MB (process before: ${Math.round(rss0 / MB)} MB; target ≤ 600 MB)`]);

  const rooms = [...classroom.rooms.values()];
  const cookies = new Map<string, string>();
  for (const room of rooms) cookies.set(room.trainee.login, await cookieOf(classroom, room.trainee.login, passwords.get(room.trainee.login)!));
  const teacher = await cookieOf(classroom, 'instructor', INSTRUCTOR);
  const consoles = new Map<TraineeRoom, Console[]>();
  for (const room of rooms) {
    const ws = room.urls.main.replace('http', 'ws');
    consoles.set(room, await Promise.all([...room.lab.handsets.keys()].map((ipei) => openConsole(`${ws}consoles/${ipei}`, cookies.get(room.trainee.login)!))));
  }

  const keyLatencies: number[] = [];
  const checkTimes: number[] = [];
  const statusTimes: number[] = [];
  const instructorTimes: number[] = [];
  let failures = 0;
  const end = performance.now() + seconds * 1000;
  const running = () => performance.now() < end;

  const presser = async (room: TraineeRoom) => {
    const list = consoles.get(room)!;
    for (let n = 0; running(); n++) {
      const c = list[n % list.length]!;
      const t = performance.now();
      const got = new Promise<void>((resolve) => c.waiting.push(resolve));
      c.ws.send(JSON.stringify({ type: 'keys', keys: n % 8 < 4 ? '{menu}' : '{red}' }));
      await Promise.race([got, sleep(5_000)]);
      keyLatencies.push(performance.now() - t);
      await sleep(200);
    }
  };
  const poll = async (url: string, cookie: string, every: number, into?: number[]) => {
    await sleep(Math.random() * every);
    while (running()) {
      const t = performance.now();
      const res = await fetch(url, { headers: { cookie } }).catch(() => undefined);
      if (!res || (res.status >= 400 && res.status !== 503)) failures++;
      await res?.arrayBuffer();
      into?.push(performance.now() - t);
      await sleep(every);
    }
  };
  const checker = async () => {
    for (let n = 0; running(); n++) {
      const room = rooms[n % rooms.length]!;
      const t = performance.now();
      await room.check();
      checkTimes.push(performance.now() - t);
      await sleep(250);
    }
  };
  await Promise.all([
    ...rooms.map(presser),
    ...rooms.map((r) => poll(`${r.urls.taskPanel}status.json`, cookies.get(r.trainee.login)!, 1_000, statusTimes)),
    ...rooms.map((r) => poll(`${r.urls.bases[0]!.url}`, `${cookies.get(r.trainee.login)!}`, 5_000)),
    poll(`${classroom.url}/instructor/classroom.json`, teacher, 2_000, instructorTimes),
    checker(),
  ]);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  results.push(['Console key → screen', `${rooms.length * 4} consoles, all ${rooms.length} trainees pressing: ${summary(keyLatencies)} (target p99 ≤ 50 ms)`]);
  results.push(['Check (every task graded)', `${summary(checkTimes)} (target ≤ 100 ms)`]);
  results.push(["Trainee view's status.json over HTTP", summary(statusTimes)]);
  results.push(["Instructor's classroom.json (all trainees)", summary(instructorTimes)]);
  results.push(['RSS at the end', `${Math.round(process.memoryUsage().rss / MB)} MB, peak ${Math.round(maxRss / MB)} MB (target ≤ 600 MB); failed requests: ${failures}`]);
  const states = rooms.map((r) => r.lab.getBase('0004F2A00001')?.state ?? '?');
  results.push(['Bases at the end', `${states.filter((s) => s === 'running').length} of ${states.length} running (they boot for 90 s after the start)`]);
  for (const list of consoles.values()) for (const c of list) c.ws.close();
  await classroom.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const width = Math.max(...results.map(([k]) => k.length));
console.log(`\nRove Simulator classroom benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${trainees} trainees, ${seconds} s active)`);
for (const [k, v] of results) console.log(`${k.padEnd(width)}  ${v}`);
process.exit(0);
