/**
 * `npm run bench`: one run of each measurement on this machine, printed as a table (docs/performance.md says how to
 * read it). Not a test: nothing here asserts, it only measures.
 *
 * 1. Rehearsal: the full-scale scenario (fixtures/scenarios/full-scale-rollout.yaml, main run only) at full speed, as
 *    `rove-sim rehearse` in a process of its own, as shipped (heap sized to the lab) and with that sizing off (ROVE_SIM_HEAP=off)
 *    — wall time, lab time, ratio, peak RSS; then as shipped with its comparison run (beside it on a second core).
 * 2. Live start: a 254-base / 1,000-handset lab file started as `rove-sim start` does (every base gets its own web
 *    server), until it listens.
 * 3. Consoles: N WebSocket consoles on 127.0.0.1, one per handset; a key press on each in turn, timed until the
 *    console receives the changed screen (p50 / p99).
 * 4. SIP REGISTER rate: SIPp REGISTER-with-digest against the embedded SIP server and against Kamailio on loopback, at
 *    increasing rates; both rates, their ratio, CPU, and the bytes a transaction keeps after a burst
 *    (bench/sip-register-rate.ts, also `npm run bench:sip-register`).
 *
 * Options: --scenario FILE, --consoles N (default 200), --skip-rehearsal, --skip-heap-off (no ROVE_SIM_HEAP=off run),
 * --skip-compare (no run with the comparison), --skip-live (no live start, no consoles), --skip-sip-register; the SIP
 * section takes the options of bench/sip-register-rate.ts (--rates, --seconds, --burst).
 *
 * A/B against another checkout (e.g. main's worktree) in the same run, so both see the same machine:
 * `--against DIR` runs the main run of both, alternating (this checkout first), `--rounds N` times (default 3), and
 * prints each round and the medians. The machine's speed drifts from minute to minute (it is shared): only numbers
 * taken side by side compare. With `--side-by-side` the two run at the same time, each pinned to a CPU of its own
 * (`taskset`, CPUs swapped every round), so that both see the same minute of the machine: the ratio of their times is
 * what compares (each on one CPU is slower than alone, where the garbage collector and the kernel use the other).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startSimulator } from '../src/http/start-server.ts';
import { buildLab } from '../src/rehearsal/build-lab.ts';
import { spawn, spawnSync } from 'node:child_process';
import { parseScenario } from '../src/rehearsal/scenario-loader.ts';
import { measureRegisterRate, parseRegisterRateArgs, registerRateRows } from './sip-register-rate.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const scenarioFile = option('--scenario') ?? 'fixtures/scenarios/full-scale-rollout.yaml';
const consoles = Number(option('--consoles') ?? 200);
const results: Array<[string, string]> = [];

/** `rove-sim rehearse` of the bench's scenario by `checkout`'s entry point, its report in `reportDir`. */
function rehearseArgs(checkout: string, reportDir: string, compare: boolean): string[] {
  return [path.resolve(checkout, 'bin/rove-sim.js'), 'rehearse', path.resolve(scenarioFile), ...(compare ? [] : ['--no-compare']), '--report', reportDir];
}

function rehearseInChild(env: Record<string, string>, compare = false, checkout = '.'): { stdout: string; stderr: string; status: number | null; wallMs: number } {
  const reportDir = mkdtempSync(path.join(tmpdir(), 'rove-bench-report-'));
  const t0 = performance.now();
  try {
    const child = spawnSync(process.execPath, rehearseArgs(checkout, reportDir, compare), {
      cwd: checkout,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 30 * 60_000,
    });
    return { stdout: child.stdout ?? '', stderr: child.stderr ?? '', status: child.status, wallMs: performance.now() - t0 };
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

const SUMMARY = /^(PASSED|FAILED): (.*) — lab time (\S+) in ([\d.]+) s \(([\d,]+)× real time\), peak memory (\d+) MB$/m;
const against = option('--against');

/** One main run of `checkout` pinned to `cpu` (taskset), without waiting for it: its summary line and wall time. */
function rehearsePinned(checkout: string, cpu: number): Promise<{ stdout: string; stderr: string; status: number | null; wallMs: number }> {
  const reportDir = mkdtempSync(path.join(tmpdir(), 'rove-bench-report-'));
  const t0 = performance.now();
  const child = spawn('taskset', ['-c', String(cpu), process.execPath, ...rehearseArgs(checkout, reportDir, false)], { cwd: checkout, env: process.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    const done = (status: number | null) => {
      rmSync(reportDir, { recursive: true, force: true });
      resolve({ stdout, stderr, status, wallMs: performance.now() - t0 });
    };
    child.on('error', (error) => {
      stderr += String(error);
      done(null);
    });
    child.on('close', done);
  });
}

const sideBySide = args.includes('--side-by-side');
if (against && sideBySide) {
  if (spawnSync('taskset', ['-c', '1', 'true']).status !== 0) {
    console.error('--side-by-side needs two CPUs and taskset (Debian: util-linux); run without it to alternate the checkouts.');
    process.exit(2);
  }
  const rounds = Number(option('--rounds') ?? 3);
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const [mine, theirs] = await Promise.all([rehearsePinned('.', (round + 1) % 2), rehearsePinned(against, round % 2)]);
    const a = SUMMARY.exec(mine.stdout);
    const b = SUMMARY.exec(theirs.stdout);
    if (!a || !b) {
      const failed = !a ? mine : theirs;
      results.push([`round ${round}`, `did not finish (exit ${failed.status}): ${failed.stderr.trim().split('\n').slice(-3).join(' / ')}`]);
      continue;
    }
    const ratio = Number(a[4]) / Number(b[4]);
    ratios.push(ratio);
    results.push([`round ${round} (same time, one CPU each)`, `this checkout ${Number(a[4]).toFixed(2)} s on CPU ${(round + 1) % 2}, ${against} ${Number(b[4]).toFixed(2)} s on CPU ${round % 2}: ratio ${ratio.toFixed(3)}`]);
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  if (sorted.length > 0) results.push(['median ratio (this / other)', `${sorted[Math.floor((sorted.length - 1) / 2)]!.toFixed(3)} (${sorted.map((r) => r.toFixed(3)).join(', ')})`]);
}

if (against && !sideBySide) {
  // Side by side: this checkout and the other one, alternating, so that both see the same drift of the machine.
  const rounds = Number(option('--rounds') ?? 3);
  const taken: Record<'this' | 'other', Array<{ s: number; wall: number; rss: number }>> = { this: [], other: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const [which, checkout] of [['this', '.'], ['other', against]] as const) {
      const out = rehearseInChild({}, false, checkout);
      const summary = SUMMARY.exec(out.stdout);
      if (!summary) {
        results.push([`round ${round} ${which === 'this' ? 'this checkout' : against}`, `did not finish (exit ${out.status}): ${out.stderr.trim().split('\n').slice(-3).join(' / ')}`]);
        continue;
      }
      const run = { s: Number(summary[4]), wall: out.wallMs / 1000, rss: Number(summary[6]) };
      taken[which].push(run);
      results.push([`round ${round} ${which === 'this' ? 'this checkout' : against}`, `${summary[1]}, ${run.s.toFixed(2)} s of rehearsal (${run.wall.toFixed(1)} s with the process start), peak ${run.rss} MB`]);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
  for (const which of ['this', 'other'] as const) {
    const runs = taken[which];
    if (runs.length === 0) continue;
    results.push([`median ${which === 'this' ? 'this checkout' : against}`, `${median(runs.map((r) => r.s)).toFixed(2)} s of rehearsal (${median(runs.map((r) => r.wall)).toFixed(1)} s with the process start), peak ${median(runs.map((r) => r.rss))} MB`]);
  }
}

if (!against && !args.includes('--skip-rehearsal')) {
  // The rehearsal runs as a user runs it (`rove-sim rehearse`, a process of its own, so its peak memory is its own):
  // as shipped (its heap sized to the lab, src/rehearsal/rehearsal-heap.ts), and with that sizing off — the lab's live
  // data is about 100-120 MB, the rest of the uncapped peak is garbage V8 lets pile up between collections.
  for (const sized of args.includes('--skip-heap-off') ? [true] : [true, false]) {
    const label = sized ? 'Rehearsal' : 'Rehearsal, ROVE_SIM_HEAP=off';
    const out = rehearseInChild(sized ? {} : { ROVE_SIM_HEAP: 'off' });
    const summary = SUMMARY.exec(out.stdout);
    if (!summary) {
      results.push([label, `did not finish (exit ${out.status}): ${out.stderr.trim().split('\n').slice(-3).join(' / ')}`]);
      continue;
    }
    const [, verdict, name, labTime, seconds, ratio, peak] = summary;
    results.push([label, `${name}: ${verdict}`]);
    for (const line of out.stdout.split('\n').filter((l) => l.trimStart().startsWith('✗'))) results.push(['  failed', line.trim()]);
    results.push(['  wall time', `${seconds} s of rehearsal (${(out.wallMs / 1000).toFixed(1)} s with the process start)`]);
    results.push(['  lab time', labTime!]);
    results.push(['  ratio', `${ratio}× real time (target ≥ 20,000×)`]);
    results.push(['  peak RSS', `${peak} MB (target ≤ 300 MB)`]);
  }
  // As a user runs the shipped file: with its comparison run, which goes on beside the main run on a second core.
  const pair = args.includes('--skip-compare') ? undefined : rehearseInChild({}, true);
  if (pair) {
    const runs = [...pair.stdout.matchAll(/^(PASSED|FAILED): .* \[(.*)\] — lab time \S+ in ([\d.]+) s .*peak memory (\d+) MB$/gm)];
    if (runs.length === 2) {
      results.push(['Rehearsal with its comparison', `${(pair.wallMs / 1000).toFixed(1)} s with the process start, both runs side by side`]);
      for (const [, verdict, variant, seconds] of runs) results.push([`  ${variant}`, `${verdict}, ${seconds} s`]);
      results.push(['  peak RSS', `${runs[1]![4]} MB (both labs in one process)`]);
    } else {
      results.push(['Rehearsal with its comparison', `did not finish (exit ${pair.status}): ${pair.stderr.trim().split('\n').slice(-3).join(' / ')}`]);
    }
  }
}

// Live start of a full-scale lab file.
if (!against && !args.includes('--skip-live')) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-bench-'));
  try {
    const file = path.join(dir, 'lab.db');
    const built = await buildLab(
      parseScenario(`name: live\nlab:\n  generate: { bases: 254, handsets: 1000, sites: 10 }\nsteps: []\n`),
      { seed: 1, file },
    );
    await built.lab.close();
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const sim = await startSimulator({ labFile: file, host: '127.0.0.1', port: 0, basePort: 0, teamsPort: 0, speed: 1, log: () => {} });
    const startMs = performance.now() - t0;
    results.push(['Live start', `254 bases, 1,000 handsets: ${(startMs / 1000).toFixed(2)} s until listening (target ≤ 3 s), +${Math.round((process.memoryUsage().rss - rssBefore) / 1048576)} MB RSS`]);

    // Consoles: one per handset, a key press each, timed to the next view frame.
    const ipeis = [...sim.lab.handsets.keys()].slice(0, consoles);
    const wsUrl = sim.url.replace('http', 'ws');
    const sockets = await Promise.all(
      ipeis.map(
        (ipei) =>
          new Promise<{ ws: WebSocket; frames: Array<(frame: { type: string }) => void> }>((resolve, reject) => {
            const ws = new WebSocket(`${wsUrl}/consoles/${ipei}`);
            const entry = { ws, frames: [] as Array<(frame: { type: string }) => void> };
            let views = 0;
            ws.on('message', (data) => {
              const frame = JSON.parse(String(data)) as { type: string };
              if (frame.type === 'view' && ++views === 1) resolve(entry);
              for (const f of entry.frames.splice(0)) f(frame);
            });
            ws.on('error', reject);
          }),
      ),
    );
    const latencies: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const s of sockets) {
        const t = performance.now();
        const got = new Promise<void>((resolve) => {
          const wait = (frame: { type: string }) => (frame.type === 'view' ? resolve() : s.frames.push(wait));
          s.frames.push(wait);
        });
        s.ws.send(JSON.stringify({ type: 'keys', keys: round % 2 === 0 ? '{menu}' : '{red}' }));
        await got;
        latencies.push(performance.now() - t);
      }
    }
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(2);
    results.push(['Console key → screen', `${sockets.length} consoles attached, ${latencies.length} presses: p50 ${pct(50)} ms, p99 ${pct(99)} ms`]);
    for (const s of sockets) s.ws.close();
    await sim.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!against && !args.includes('--skip-sip-register')) {
  try {
    const sip = await measureRegisterRate(parseRegisterRateArgs(args), () => undefined);
    results.push(...registerRateRows(sip));
  } catch (error) {
    results.push(['SIP REGISTER rate', `did not run: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`]);
  }
}

const width = Math.max(...results.map(([k]) => k.length));
console.log(`\nRove Simulator benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version})`);
for (const [k, v] of results) console.log(`${k.padEnd(width)}  ${v}`);
process.exit(0);
