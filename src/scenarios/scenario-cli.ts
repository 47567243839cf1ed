/**
 * The scenario commands of `rove-sim`: `rehearse`, `replay`, `checkpoint` and `factory-reset`. Registered on the
 * main program by src/cli/main.ts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { Lab } from '../lab/lab.ts';
import { LabStore } from '../lab/lab-store.ts';
import { deleteCheckpoint, factoryReset, listCheckpoints, restoreStoreCheckpoint, saveStoreCheckpoint } from './checkpoints.ts';
import { formatDuration } from './duration.ts';
import { replayEventLog, writeEventLog } from './event-log.ts';
import { EventLogError } from './event-log-reader.ts';
import { progressReporter } from './progress.ts';
import { renderReportHtml } from './report-html.ts';
import type { RunReport } from './report.ts';
import { rehearseWithHeap } from './rehearsal-heap.ts';
import { rehearse, type RunResult } from './runner.ts';
import { loadScenarioFile, ScenarioError } from './scenario-loader.ts';
import { DEFAULT_REPLAY_PORT, serveReplay } from '../replay/serve-replay.ts';
import { SimError } from '../shared/errors.ts';

function speedArg(value: string): 'max' | number {
  if (value === 'max') return 'max';
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1_000_000) throw new InvalidArgumentError('must be "max" or a number > 0 (lab ms per real ms)');
  return n;
}

function portArg(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return Number(value);
}

function seedArg(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 4294967295) throw new InvalidArgumentError('must be a whole number from 0 to 4294967295');
  return Number(value);
}

export interface RehearseOutcome {
  exitCode: number;
  reportDir: string;
}

/** Runs a scenario file and writes report.json, report.html and events.jsonl to `reportDir`. */
export async function rehearseFile(
  file: string,
  opts: { speed: 'max' | number; reportDir?: string; seed?: number; compareProfile?: string; compare: boolean; labFile?: string },
  io: { out: (line: string) => void; err: NodeJS.WriteStream },
): Promise<RehearseOutcome> {
  let scenario;
  try {
    scenario = loadScenarioFile(file);
  } catch (err) {
    if (err instanceof ScenarioError) {
      io.err.write(`${err.message}\n`);
      return { exitCode: 2, reportDir: '' };
    }
    throw err;
  }
  // A large lab runs in a node whose heap is sized to it (rehearsal-heap.ts): this process hands over to that one.
  const childExit = rehearseWithHeap(scenario);
  if (childExit !== undefined) return { exitCode: childExit, reportDir: '' };
  const heapMb = process.env['ROVE_SIM_HEAP'];
  if (heapMb && /^\d+$/.test(heapMb)) io.err.write(`JavaScript heap sized to the lab: ${heapMb} MB (ROVE_SIM_HEAP=off to leave it to node)\n`);
  if (!opts.compare) delete scenario.compare;
  const reportDir = opts.reportDir ?? path.join('rove-reports', path.basename(file).replace(/\.(ya?ml|json)$/i, ''));
  const progress = progressReporter(io.err, scenario.name);
  const result = await rehearse(scenario, {
    speed: opts.speed,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.compareProfile ? { compare: { profile: opts.compareProfile } } : {}),
    ...(opts.labFile ? { labFile: opts.labFile } : {}),
    onProgress: (p) => progress.update(p),
    onCompareProgress: (p) => progress.update(p, 'comparison'),
    ...(heapMb && /^\d+$/.test(heapMb) ? { heapMb: Number(heapMb) } : {}),
  });
  progress.done();
  await mkdir(reportDir, { recursive: true });
  const { main, comparison } = result;
  const header = (r: RunResult) => ({ scenario: r.report.scenario, seed: r.report.seed, profile: r.report.profile, variant: r.report.variant, start: r.report.start });
  await writeFile(path.join(reportDir, 'report.json'), `${JSON.stringify({ ...main.report, ...(comparison ? { comparison: comparison.report } : {}) }, null, 2)}\n`);
  await writeEventLog(path.join(reportDir, 'events.jsonl'), header(main), main.events);
  if (comparison) await writeEventLog(path.join(reportDir, 'events-compare.jsonl'), header(comparison), comparison.events);
  await writeFile(
    path.join(reportDir, 'report.html'),
    renderReportHtml(main.report, comparison?.report, { mainMs: main.wallMs, ...(comparison ? { comparisonMs: comparison.wallMs } : {}) }),
  );
  summarise(main.report, main.wallMs, io.out);
  if (comparison) summarise(comparison.report, comparison.wallMs, io.out);
  io.out(`Report: ${path.join(reportDir, 'report.html')} (also report.json, events.jsonl)`);
  const failed = main.report.verdict === 'failed' || comparison?.report.verdict === 'failed';
  return { exitCode: failed ? 1 : 0, reportDir };
}

function summarise(r: RunReport, wallMs: number, out: (line: string) => void): void {
  const t = r.totals;
  // Peak memory of the process so far (both runs when there is a comparison): what the machine must have for this lab.
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  out(`${r.verdict.toUpperCase()}: ${r.scenario}${r.variant ? ` [${r.variant}]` : ` [${r.profile}]`} — lab time ${formatDuration(r.virtualMs)} in ${(wallMs / 1000).toFixed(2)} s (${Math.round(r.virtualMs / Math.max(1, wallMs)).toLocaleString('en')}× real time), peak memory ${peakMb} MB`);
  out(`  ${t.basesRunning}/${t.bases} bases running, ${t.handsetsInService}/${t.handsets} handsets in service, ${t.handsetsSignedIn} signed in; ${t.reboots} reboots; ${t.handsetMinutesWithoutService} handset-minutes without service; sign-ins ${t.signIns.succeeded} ok / ${t.signIns.failed} failed`);
  for (const f of r.failures) out(`  ✗ step ${f.step} (${f.name}): expected ${f.expectation}; actual ${f.actual}`);
}

export function registerScenarioCommands(program: Command): void {
  program
    .command('rehearse')
    .description('run a scenario file on the lab clock and write its report (exit 0: every expectation held)')
    .argument('<file>', 'scenario file (YAML or JSON; docs/scenarios.md)')
    .option('--speed <x>', '"max" (as fast as the CPU allows) or lab ms per real ms', speedArg, 'max' as 'max' | number)
    .option('--report <dir>', 'where to write report.html, report.json and events.jsonl (default rove-reports/<name>)')
    .option('--seed <n>', "seed of everything generated (default: the scenario's)", seedArg)
    .option('--compare-profile <name>', 'also run with this firmware profile and compare side by side')
    .option('--no-compare', "skip the scenario's own comparison run")
    .option('--lab <file>', 'build the lab in this lab file, with checkpoints scenario-start and scenario-end')
    .action(async (file: string, o: { speed: 'max' | number; report?: string; seed?: number; compareProfile?: string; compare: boolean; lab?: string }) => {
      const outcome = await rehearseFile(
        file,
        {
          speed: o.speed,
          compare: o.compare,
          ...(o.report ? { reportDir: o.report } : {}),
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
          ...(o.compareProfile ? { compareProfile: o.compareProfile } : {}),
          ...(o.lab ? { labFile: o.lab } : {}),
        },
        { out: (l) => console.log(l), err: process.stderr },
      );
      process.exitCode = outcome.exitCode;
    });
  program
    .command('replay')
    .description('replay the event log of a rehearsal (events.jsonl): printed at a chosen speed, or in the browser with --serve')
    .argument('<log>', 'events.jsonl from a report directory')
    .option('--speed <x>', '"max" or lab ms per real ms (e.g. 3600: an hour per second); printing: default max, --serve: the speed selected at first (default 600)', speedArg)
    .option('--serve', 'serve the replay viewer on 127.0.0.1 and print its URL (Ctrl+C to stop)')
    .option('--port <n>', `port of the replay viewer with --serve (default ${DEFAULT_REPLAY_PORT}; 0: any free port)`, portArg)
    .action(async (log: string, o: { speed?: 'max' | number; serve?: boolean; port?: number }) => {
      if (o.port !== undefined && !o.serve) {
        process.stderr.write('--port is the port of the replay viewer: use it with --serve\n');
        process.exitCode = 2;
        return;
      }
      try {
        if (!o.serve) {
          await replayEventLog(log, { speed: o.speed ?? 'max', write: (l) => console.log(l) });
          return;
        }
        const served = await serveReplay(log, { port: o.port ?? DEFAULT_REPLAY_PORT, ...(o.speed !== undefined ? { speed: o.speed } : {}) });
        console.log('Press Ctrl+C to stop.');
        process.once('SIGINT', () => void served.close());
        process.once('SIGTERM', () => void served.close());
      } catch (err) {
        if (err instanceof EventLogError) {
          process.stderr.write(`${err.message}\n`);
          process.exitCode = 2;
        } else if (err instanceof SimError) {
          process.stderr.write(`${err.message}\n`);
          process.exitCode = 1;
        } else throw err;
      }
    });
  const checkpoint = program.command('checkpoint').description('named checkpoints of a lab file (stop the simulator first; the API does it live)');
  const withStore = async (file: string, fn: (store: LabStore) => void) => {
    const store = new LabStore(file);
    try {
      fn(store);
    } finally {
      store.close();
    }
  };
  checkpoint
    .command('save')
    .argument('<name>')
    .requiredOption('--lab <file>', 'lab file')
    .action((name: string, o: { lab: string }) => withStore(o.lab, (s) => console.log(`saved ${saveStoreCheckpoint(s, name).name}`)));
  checkpoint
    .command('restore')
    .argument('<name>')
    .requiredOption('--lab <file>', 'lab file')
    .action((name: string, o: { lab: string }) =>
      withStore(o.lab, (s) => console.log(`restored ${restoreStoreCheckpoint(s, name).name}: the next start power-cycles every device from it`)),
    );
  checkpoint
    .command('list')
    .requiredOption('--lab <file>', 'lab file')
    .action((o: { lab: string }) =>
      withStore(o.lab, (s) => {
        for (const c of listCheckpoints(s)) console.log(`${c.name}\t${new Date(c.at).toISOString()}\t${c.bytes} bytes`);
      }),
    );
  checkpoint
    .command('delete')
    .argument('<name>')
    .requiredOption('--lab <file>', 'lab file')
    .action((name: string, o: { lab: string }) => withStore(o.lab, (s) => deleteCheckpoint(s, name)));
  program
    .command('factory-reset')
    .description('factory reset of one base (MAC) or handset (IPEI) in a lab file')
    .argument('<device>', 'base MAC or handset IPEI')
    .requiredOption('--lab <file>', 'lab file')
    .action(async (device: string, o: { lab: string }) => {
      const lab = await Lab.open({ file: o.lab, seedDefaultLab: false });
      try {
        const base = lab.getBase(device);
        if (base) await lab.clock.advanceUntil(() => base.reachable, 10 * 60_000);
        const done = factoryReset(lab, device);
        await lab.settle();
        console.log(`factory reset ${done.kind} ${done.id}`);
      } finally {
        await lab.close();
      }
    });
}
