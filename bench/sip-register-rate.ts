/**
 * `npm run bench:sip-register` (also a section of `npm run bench`): REGISTER with digest authentication, SIPp against
 * the embedded SIP server and against a real Kamailio 5.6, both on loopback over UDP, in the same run on this machine.
 * Not a test: nothing here asserts, it only measures (docs/performance.md, "SIP REGISTER rate", says how to read it).
 *
 * For each server, SIPp (test/interop/sipp/register-digest.xml: REGISTER → 401 → REGISTER with Authorization → 200)
 * runs at increasing rates, each for a bounded time; a rate counts as sustained when SIPp completes at least 95 % of
 * the registrations it offered in that time with under 1 % failed. Printed per step: offered and completed
 * registrations per second, failures, and the server's CPU over the step (% of one core: our server runs in this
 * process, Kamailio's are its processes in /proc). Then, for the embedded server, the heap still held after a burst
 * of registrations — once right after it (within Timer J, 32 s over UDP, RFC 3261 §17.2.2) and once after Timer J ran
 * out (the server's network clock is stepped over it) — divided by the number of transactions in the burst.
 *
 * Options: --rates 1000,2000,… (registrations per second), --seconds N per step (default 4), --burst N registrations
 * (default 5000), --only rove|kamailio.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { VirtualClock } from '../src/kernel/virtual-clock.ts';
import { SipServer } from '../src/sip/server/sip-server.ts';
import { installSipSpeedups } from '../src/sip/speed/sip-speedups.ts';
import { startKamailio } from '../test/interop/support/kamailio.ts';
import { freeUdpPort } from '../test/interop/support/sipp.ts';

const SCENARIO = path.join(import.meta.dirname, '../test/interop/sipp/register-digest.xml');
const DOMAIN = 'sip.lab.test';
const EXTENSION = '1001';
const PASSWORD = 'bench-secret-1';
/** The highest rate tried, whatever --rates says: bounds the load a step can offer. */
const MAX_RATE = 50_000;

export interface RegisterRateOptions {
  rates: number[];
  seconds: number;
  burst: number;
  only?: 'rove' | 'kamailio';
}

export interface RateStep {
  offered: number;
  completed: number;
  failed: number;
  /** Completed registrations per second over the step's wall time. */
  rate: number;
  /** CPU of the server over the step, % of one core. */
  cpu: number;
  sustained: boolean;
}

export interface ServerRun {
  name: string;
  steps: RateStep[];
  /** Highest completed rate of a sustained step (0 when none was). */
  best: number;
  /** CPU at that step. */
  bestCpu: number;
}

export interface RetainedRun {
  transactions: number;
  /** Heap still used right after the burst (within Timer J), per transaction. */
  duringTimerJ: number;
  /** The same after Timer J ran out. */
  afterTimerJ: number;
  transactionsHeld: number;
  transactionsHeldAfter: number;
}

interface SippResult {
  successful: number;
  failed: number;
  wallMs: number;
  output: string;
}

/** One bounded SIPp run: `calls` REGISTER-with-digest at `rate` per second, killed by PID if it outlives its timeout. */
async function sipp(target: { host: string; port: number }, rate: number, calls: number): Promise<SippResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-bench-sipp-'));
  const stats = path.join(dir, 'stats.csv');
  const timeoutS = Math.ceil(calls / rate) * 3 + 10;
  const args = [
    `${target.host}:${target.port}`,
    '-sf', SCENARIO,
    '-t', 'u1',
    '-i', '127.0.0.1',
    '-p', String(await freeUdpPort()),
    '-s', EXTENSION, '-au', EXTENSION, '-ap', PASSWORD,
    '-r', String(rate),
    '-m', String(calls),
    '-l', String(Math.max(100, rate)),
    '-nostdin', '-nd',
    '-timeout', `${timeoutS}s`,
    '-trace_stat', '-stf', stats, '-fd', '1',
  ];
  const t0 = performance.now();
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  await new Promise<void>((resolve) => {
    const killer = setTimeout(() => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    }, (timeoutS + 10) * 1000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.once('error', (error) => {
      clearTimeout(killer);
      output += `\ncannot run sipp (install sip-tester; .ci/run does): ${error.message}`;
      resolve();
    });
  });
  const wallMs = performance.now() - t0;
  let successful = 0;
  let failed = 0;
  try {
    const lines = readFileSync(stats, 'utf8').trim().split('\n');
    const head = lines[0]!.split(';');
    const last = lines[lines.length - 1]!.split(';');
    successful = Number(last[head.indexOf('SuccessfulCall(C)')]);
    failed = Number(last[head.indexOf('FailedCall(C)')]);
  } catch {
    // No statistics: SIPp did not run; the output says why.
  }
  rmSync(dir, { recursive: true, force: true });
  return { successful, failed, wallMs, output };
}

/** CPU seconds (user + system) of a process and its children still running, from /proc (Linux). */
function processTreeCpu(rootPid: number): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      if (pid !== rootPid && ppid !== rootPid) continue;
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // The process went away between the listing and the read.
    }
  }
  return total;
}

interface Target {
  name: string;
  address: { host: string; port: number };
  cpuSeconds: () => number;
  steps: RateStep[];
  climbing: boolean;
}

async function step(target: Target, offered: number, seconds: number, say: (line: string) => void): Promise<void> {
  const calls = Math.round(offered * seconds);
  const cpu0 = target.cpuSeconds();
  const run = await sipp(target.address, offered, calls);
  const cpu = ((target.cpuSeconds() - cpu0) / (run.wallMs / 1000)) * 100;
  const rate = run.successful / (run.wallMs / 1000);
  // SIPp's own start and end take a little of the step's wall time: 90 % of the offered rate counts as keeping up.
  const sustained = run.successful >= calls * 0.99 && run.failed < calls * 0.01 && rate >= offered * 0.9;
  target.steps.push({ offered, completed: run.successful, failed: run.failed, rate, cpu, sustained });
  const perRegistration = run.successful > 0 ? `, ${Math.round(((cpu / 100) * (run.wallMs / 1000) * 1e6) / run.successful)} µs CPU each` : '';
  say(`  ${target.name} at ${offered}/s: ${run.successful} of ${calls} registered, ${run.failed} failed, ${Math.round(rate)}/s, CPU ${Math.round(cpu)} %${perRegistration}${sustained ? '' : ' (not sustained)'}`);
  if (run.successful === 0 && run.failed === 0) say(`    sipp: ${run.output.trim().split('\n').slice(-3).join(' / ')}`);
  if (!sustained) target.climbing = false;
}

/**
 * Both servers step by step through the same rates, one after the other at each rate, so that both meet the same
 * machine (other work on it changes from minute to minute); each stops climbing at its first step not sustained.
 */
async function climb(targets: Target[], options: RegisterRateOptions, say: (line: string) => void): Promise<void> {
  // A short warm-up: the JIT, SIPp's and the servers' first allocations.
  for (const target of targets) await sipp(target.address, 500, 1000);
  for (const offered of options.rates.filter((r) => r > 0 && r <= MAX_RATE)) {
    const climbing = targets.filter((t) => t.climbing);
    if (climbing.length === 0) break;
    for (const target of climbing) await step(target, offered, options.seconds, say);
  }
}

function summary(target: Target): ServerRun {
  const best = target.steps.filter((s) => s.sustained).sort((a, b) => b.rate - a.rate)[0];
  return { name: target.name, steps: target.steps, best: best?.rate ?? 0, bestCpu: best?.cpu ?? 0 };
}

function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export async function measureRegisterRate(options: RegisterRateOptions, say: (line: string) => void = console.log): Promise<{ rove?: ServerRun; kamailio?: ServerRun; retained?: RetainedRun }> {
  installSipSpeedups();
  const out: { rove?: ServerRun; kamailio?: ServerRun; retained?: RetainedRun } = {};
  // The server's clock for peers on real sockets runs in real time; after the burst it is stepped over Timer J.
  const networkClock = new VirtualClock({ speed: 1 });
  const server = new SipServer({ clock: networkClock, networkClock, domain: DOMAIN, accounts: [{ extension: EXTENSION, password: PASSWORD }] });
  let kamailio: Awaited<ReturnType<typeof startKamailio>> | undefined;
  try {
    const targets: Target[] = [];
    if (options.only !== 'kamailio') {
      const { udp } = await server.listen({ udp: 0 });
      const cpuSeconds = () => {
        const usage = process.cpuUsage();
        return (usage.user + usage.system) / 1e6;
      };
      targets.push({ name: 'embedded server', address: udp!, cpuSeconds, steps: [], climbing: true });
    }
    if (options.only !== 'rove') {
      kamailio = await startKamailio({ domain: DOMAIN, accounts: [{ extension: EXTENSION, password: PASSWORD }] });
      const pid = kamailio.pid;
      targets.push({ name: 'Kamailio', address: { host: '127.0.0.1', port: kamailio.port }, cpuSeconds: () => processTreeCpu(pid), steps: [], climbing: true });
    }
    await climb(targets, options, say);
    for (const target of targets) {
      if (target.name === 'Kamailio') out.kamailio = summary(target);
      else out.rove = summary(target);
    }
    const rove = targets.find((t) => t.name !== 'Kamailio');
    if (rove && options.burst > 0) out.retained = await retainedAfterBurst(server, networkClock, rove.address, options.burst, out.rove!.best, say);
  } finally {
    await kamailio?.stop();
    await server.close();
    networkClock.dispose();
  }
  return out;
}

/**
 * Heap still used after a burst of registrations, per transaction: right after it (the completed transactions
 * waiting out Timer J) and after the network clock is stepped over Timer J. Measured after full collections.
 */
async function retainedAfterBurst(server: SipServer, networkClock: VirtualClock, address: { host: string; port: number }, burst: number, best: number, say: (line: string) => void): Promise<RetainedRun> {
  const gc = collector();
  // Whatever the climb left in Timer J goes first, so that the burst is measured on its own.
  await networkClock.advance(33_000);
  gc();
  const before = process.memoryUsage().heapUsed;
  const run = await sipp(address, Math.min(2000, Math.max(500, Math.round(best / 2) || 500)), burst);
  gc();
  const during = process.memoryUsage().heapUsed;
  const held = server.stats().transactions;
  await networkClock.advance(33_000);
  gc();
  const after = process.memoryUsage().heapUsed;
  const transactions = run.successful * 2; // two REGISTER transactions per registration
  const retained: RetainedRun = {
    transactions,
    duringTimerJ: (during - before) / Math.max(1, transactions),
    afterTimerJ: (after - before) / Math.max(1, transactions),
    transactionsHeld: held,
    transactionsHeldAfter: server.stats().transactions,
  };
  say(`  burst of ${run.successful} registrations (${transactions} transactions): ${Math.round(retained.duringTimerJ)} bytes per transaction held within Timer J (${held} transactions kept), ${Math.round(retained.afterTimerJ)} after it (${retained.transactionsHeldAfter} kept)`);
  return retained;
}

/** The rows `npm run bench` prints. */
export function registerRateRows(result: Awaited<ReturnType<typeof measureRegisterRate>>): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const { rove, kamailio, retained } = result;
  const describe = (run: ServerRun) => {
    const perRegistration = run.best > 0 ? `, ${Math.round((run.bestCpu / 100 / run.best) * 1e6)} µs of CPU per registration` : '';
    return `${Math.round(run.best)} registrations/s sustained (CPU ${Math.round(run.bestCpu)} % of a core${perRegistration}); highest step offered ${run.steps.at(-1)?.offered ?? 0}/s`;
  };
  if (rove) rows.push(['SIP REGISTER rate, embedded server', describe(rove)]);
  if (kamailio) rows.push(['SIP REGISTER rate, Kamailio 5.6', describe(kamailio)]);
  if (rove && kamailio) rows.push(['  ratio embedded / Kamailio', `${(rove.best / Math.max(1, kamailio.best)).toFixed(2)} (target ≥ 0.70)`]);
  if (retained) {
    rows.push(['  retained per transaction', `${Math.round(retained.duringTimerJ)} bytes within Timer J, ${Math.round(retained.afterTimerJ)} after (${retained.transactions} transactions)`]);
  }
  return rows;
}

export function parseRegisterRateArgs(args: string[]): RegisterRateOptions {
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const only = option('--only');
  return {
    rates: (option('--rates') ?? '1000,2000,3000,4000,5000,6000,7000,8000,10000,12000').split(',').map(Number).filter(Number.isFinite),
    seconds: Math.min(30, Math.max(1, Number(option('--seconds') ?? 4))),
    burst: Math.min(100_000, Math.max(0, Number(option('--burst') ?? 5000))),
    ...(only === 'rove' || only === 'kamailio' ? { only } : {}),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureRegisterRate(parseRegisterRateArgs(process.argv.slice(2)));
  console.log('');
  for (const [name, value] of registerRateRows(result)) console.log(`${name.padEnd(40)} ${value}`);
}
