/**
 * `rove-sim`: the command line. `rove-sim start` runs the simulator; `console` drives a handset from a terminal;
 * `teams <cmdlet>` runs the Teams PowerShell cmdlets; `rehearse`, `replay`, `checkpoint` and `factory-reset` are the
 * scenario commands (src/rehearsal/scenario-cli.ts); `plan import` and `plan check` the plan's (src/rehearsal/plan/);
 * `check` grades a lab against an exercise (src/training/training-cli.ts); `classroom` and `train` run trainee labs
 * (src/classroom/classroom-cli.ts).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { registerScenarioCommands } from '../rehearsal/scenario-cli.ts';
import { registerPlanCommands } from '../rehearsal/plan/plan-cli.ts';
import { registerTrainingCommands } from '../training/training-cli.ts';
import { registerClassroomCommand, registerTrainCommand } from '../classroom/classroom-cli.ts';
import { CMDLETS } from './teams/cmdlets.ts';
import { LAB_TEMPLATES, type LabTemplate } from '../lab/lab-template.ts';

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return n;
}

function speed(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1_000_000) throw new InvalidArgumentError('must be a number > 0 and <= 1000000 (1 = real time)');
  return n;
}

export function buildCli(): Command {
  const program = new Command('rove-sim')
    .description('Simulator of Poly Rove IP DECT systems and the Microsoft Teams SIP Gateway')
    // A mistyped option gets its one-line error and a pointer to --help, not the whole help text; and exit code 2, as
    // every refused input does (main below), not commander's 1 (which rehearse and plan check use for "problems found").
    .showHelpAfterError('(add --help for the options)')
    .exitOverride();

  program
    .command('start')
    .description('run the simulator on a lab file (created with the default lab if new)')
    .option('--lab <file>', 'lab file', './rove-lab.db')
    .addOption(new Option('--port <n>', 'port of the main web server').argParser(port).default(8080).env('PORT'))
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--base-port <n>', "first port for the bases' own web servers (0: any free port)").argParser(port))
    .addOption(new Option('--speed <x>', 'lab clock speed (1 = real time, 60 = a minute per second)').argParser(speed).default(1))
    .option('--profile <name>', 'firmware behaviour profile (rove-8.0, no-provisioning-reboots, no-reboot-on-sign-in)')
    .addOption(
      // No commander default: an existing lab file started without the option must not be told the option is ignored.
      new Option('--lab-template <name>', "what a new lab file starts as: factory (the default: nothing configured, as the guide starts) or calls-demo (the lab's SIP server, extensions 1001–1004)")
        .choices([...LAB_TEMPLATES]),
    )
    .option('--real-dns', 'let devices resolve host names that are not emulated through real DNS', false)
    .addOption(new Option('--api-token <secret>', 'access token for the control API and lab pages (required with a --host that is not loopback)').env('ROVE_API_TOKEN'))
    .addOption(
      new Option('--missing-tenant-id-error <kind>', "bulk sign-in of a device whose ConfigURL lacks /tenantid/: Microsoft's table (tag-missing) or what seed 003 saw (not-trusted)")
        .choices(['tag-missing', 'not-trusted'])
        .default('tag-missing'),
    )
    .addOption(
      new Option(
        '--untrusted-ip-error <words>',
        'bulk sign-in of a device whose public IP is not trusted: Microsoft\'s table (table: "Public IP not configured as Trusted IP.") or the sentence seed 003 quotes, with the IP (detailed)',
      )
        .choices(['table', 'detailed'])
        .default('table'),
    )
    .addOption(new Option('--sip-port <n>', 'SIP for outside tools and softphones: UDP and TCP on this port, TLS on port + 1, WebSocket on port + 6 (0: any free ports)').argParser(port).default(5060))
    .option('--sip-host <address>', 'loopback address the SIP listeners bind', '127.0.0.1')
    .option('--no-sip', 'open no SIP port (the lab still runs its SIP inside)')
    .option('--no-sip-speedups', "run sip.js exactly as shipped, without the simulator's parse speed-ups (same as ROVE_SIP_SPEEDUPS=off)")
    .action(async (opts: { lab: string; port: number; host: string; basePort?: number; speed: number; profile?: string; realDns: boolean; apiToken?: string; sipSpeedups: boolean; missingTenantIdError: 'tag-missing' | 'not-trusted'; untrustedIpError: 'table' | 'detailed'; labTemplate?: LabTemplate; sipPort: number; sipHost: string; sip: boolean }) => {
      if (!opts.sipSpeedups) (await import('../sip/speed/sip-speedups.ts')).switchSipSpeedupsOff();
      // Loaded when needed: each command pulls in only its own part of the simulator (see scenario-cli.ts).
      const { startSimulator } = await import('../http/start-server.ts');
      const sim = await startSimulator({
        labFile: opts.lab,
        host: opts.host,
        port: opts.port,
        basePort: opts.basePort ?? (opts.port === 0 ? 0 : opts.port + 1),
        speed: opts.speed,
        ...(opts.profile ? { profile: opts.profile } : {}),
        realDns: opts.realDns,
        ...(opts.apiToken ? { apiToken: opts.apiToken } : {}),
        missingTenantIdError: opts.missingTenantIdError,
        untrustedIpError: opts.untrustedIpError,
        ...(opts.labTemplate ? { labTemplate: opts.labTemplate } : {}),
        sipPort: opts.sip ? opts.sipPort : null,
        sipHost: opts.sipHost,
      });
      const stop = () => {
        void sim.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  program
    .command('console')
    .description('a handset in the terminal: draws its screen and sends your key presses (piped input: one key string per line)')
    .argument('<ipei>', 'the handset IPEI (GET /api/handsets lists them)')
    .option('--server <url>', 'main server of a running simulator', `http://127.0.0.1:${process.env['PORT'] ?? 8080}`)
    .action(async (ipei: string, opts: { server: string }) => {
      const { runTerminalConsole } = await import('./terminal-console.ts');
      process.exitCode = await runTerminalConsole({ server: opts.server, ipei, input: process.stdin, output: process.stdout });
    });
  program
    .command('teams')
    .description('a Microsoft Teams PowerShell cmdlet against a running simulator, e.g. teams New-CsSdgBulkSignInRequest -DeviceDetailsFilePath phones.csv -Region EMEA')
    .argument('<cmdlet>', `one of: ${CMDLETS.map((c) => c.name).join(', ')}`)
    .argument('[args...]', 'PowerShell-style parameters (-Name value; $true/$false quoted in bash), plus --server <url> and --json (or -Json)')
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .addHelpText('after', `\nThe simulator: --server <url> (default http://127.0.0.1:$PORT or 8080). Output as PowerShell prints it; --json for JSON.`)
    .action(async (cmdlet: string, args: string[]) => {
      const { runTeamsCmdlet } = await import('./teams/teams-command.ts');
      process.exitCode = await runTeamsCmdlet(cmdlet, args, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
    });
  registerScenarioCommands(program);
  registerPlanCommands(program);
  registerTrainingCommands(program);
  registerClassroomCommand(program);
  registerTrainCommand(program);
  return program;
}

/**
 * When the reader of our output goes away (`rove-sim replay LOG | head -3`), the next write fails with EPIPE. A Unix
 * tool dies quietly of SIGPIPE there; Node would throw an unhandled 'error' event with a stack trace instead. Exit
 * quietly, with the exit code set so far, for every command: nobody reads what it would print.
 */
export function exitQuietlyWhenOutputCloses(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(process.exitCode ?? 0);
    });
  }
}

export async function main(argv: string[]): Promise<void> {
  exitQuietlyWhenOutputCloses();
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Already printed by commander (the usage error, or the help or version asked for).
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    const e = err as NodeJS.ErrnoException;
    console.error(`rove-sim: ${e.code === 'EADDRINUSE' ? `port already in use (${e.message}); choose another with --port` : e.message}`);
    process.exitCode = 1;
  }
}
