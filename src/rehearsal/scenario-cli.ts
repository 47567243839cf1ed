/**
 * The scenario commands of `rove-sim`: `rehearse`, `replay`, `checkpoint` and `factory-reset`. Registered on the
 * main program by src/cli/main.ts.
 *
 * Each command loads what it needs when it runs (dynamic imports): `rove-sim rehearse` of a large lab starts node a
 * second time with a sized heap (rehearsal-heap.ts), and the first node should not load the whole simulator for that.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { LabStore } from '../lab/lab-store.ts';
import { DEFAULT_REPLAY_PORT } from './replay/replay-port.ts';

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

function runsArg(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 100) throw new InvalidArgumentError('must be a whole number from 1 to 100');
  return Number(value);
}

function seedArg(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 4294967295) throw new InvalidArgumentError('must be a whole number from 0 to 4294967295');
  return Number(value);
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
    .option('--compare-plan <file>', 'also run this plan (a scenario file on the same starting lab) and compare side by side')
    .option('--no-compare', "skip the scenario's own comparison run")
    .option('--lab <file>', 'build the lab in this lab file, with checkpoints scenario-start and scenario-end')
    .option('--runs <n>', 'run N times, timings varied around the modelled values (run 1: as modelled), and report min / median / max', runsArg)
    .option('--no-sip-speedups', "run sip.js exactly as shipped, without the simulator's parse speed-ups (same as ROVE_SIP_SPEEDUPS=off)")
    .action(async (file: string, o: { speed: 'max' | number; report?: string; seed?: number; compareProfile?: string; comparePlan?: string; compare: boolean; lab?: string; runs?: number; sipSpeedups: boolean }) => {
      if (!o.sipSpeedups) (await import('../sip/speed/sip-speedups.ts')).switchSipSpeedupsOff();
      const { rehearseFile } = await import('./rehearse-file.ts');
      const outcome = await rehearseFile(
        file,
        {
          speed: o.speed,
          compare: o.compare,
          ...(o.report ? { reportDir: o.report } : {}),
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
          ...(o.compareProfile ? { compareProfile: o.compareProfile } : {}),
          ...(o.comparePlan ? { comparePlan: o.comparePlan } : {}),
          ...(o.lab ? { labFile: o.lab } : {}),
          ...(o.runs !== undefined ? { runs: o.runs } : {}),
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
      const { EventLogError } = await import('./event-log-reader.ts');
      const { SimError } = await import('../kernel/errors.ts');
      try {
        if (!o.serve) {
          const { replayEventLog } = await import('./event-log.ts');
          await replayEventLog(log, { speed: o.speed ?? 'max', write: (l) => console.log(l) });
          return;
        }
        const { serveReplay } = await import('./replay/serve-replay.ts');
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
  const withStore = async (file: string, fn: (store: LabStore, checkpoints: typeof import('../live/checkpoints.ts')) => void) => {
    const { LabStore } = await import('../lab/lab-store.ts');
    const checkpoints = await import('../live/checkpoints.ts');
    const store = new LabStore(file);
    try {
      fn(store, checkpoints);
    } finally {
      store.close();
    }
  };
  checkpoint
    .command('save')
    .argument('<name>')
    .requiredOption('--lab <file>', 'lab file')
    .action((name: string, o: { lab: string }) => withStore(o.lab, (s, c) => console.log(`saved ${c.saveStoreCheckpoint(s, name).name}`)));
  checkpoint
    .command('restore')
    .argument('<name>')
    .requiredOption('--lab <file>', 'lab file')
    .action((name: string, o: { lab: string }) =>
      withStore(o.lab, (s, c) => console.log(`restored ${c.restoreStoreCheckpoint(s, name).name}: the next start power-cycles every device from it`)),
    );
  checkpoint
    .command('list')
    .requiredOption('--lab <file>', 'lab file')
    .action((o: { lab: string }) =>
      withStore(o.lab, (s, checkpoints) => {
        for (const c of checkpoints.listCheckpoints(s)) console.log(`${c.name}\t${new Date(c.at).toISOString()}\t${c.bytes} bytes`);
      }),
    );
  checkpoint
    .command('delete')
    .argument('<name>')
    .requiredOption('--lab <file>', 'lab file')
    .action((name: string, o: { lab: string }) => withStore(o.lab, (s, c) => c.deleteCheckpoint(s, name)));
  program
    .command('factory-reset')
    .description('factory reset of one base (MAC) or handset (IPEI) in a lab file')
    .argument('<device>', 'base MAC or handset IPEI')
    .requiredOption('--lab <file>', 'lab file')
    .action(async (device: string, o: { lab: string }) => {
      const { Lab } = await import('../lab/lab.ts');
      const { factoryReset } = await import('../live/checkpoints.ts');
      const { restoreFaults } = await import('../live/faults/fault-board.ts');
      const lab = await Lab.open({ file: o.lab, seedDefaultLab: false });
      restoreFaults(lab);
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
