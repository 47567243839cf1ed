/**
 * Runs a command-line SIP tool once (sipsak, baresip) with every wait bounded: killed by PID (SIGTERM, then SIGKILL)
 * when it outlives its time. A started tool can be stopped early; its output is kept.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningTool {
  pid: number | undefined;
  /** Everything written so far (stdout and stderr, last 200 KB). */
  output(): string;
  /** Writes a line to its standard input. */
  type(line: string): void;
  /** Resolves when it exits (or is killed at the deadline). */
  done: Promise<ToolRun>;
  stop(): Promise<ToolRun>;
}

export function startTool(command: string, args: string[], options: { timeoutS: number; cwd?: string; stdin?: boolean }): RunningTool {
  const child: ChildProcess = spawn(command, args, { stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], cwd: options.cwd });
  let stdout = '';
  let stderr = '';
  let both = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout = (stdout + chunk.toString('utf8')).slice(-200_000);
    both = (both + chunk.toString('utf8')).slice(-200_000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-200_000);
    both = (both + chunk.toString('utf8')).slice(-200_000);
  });
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill('SIGTERM');
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, 3000).unref();
  };
  const deadline = setTimeout(kill, options.timeoutS * 1000);
  const done = new Promise<ToolRun>((resolve) => {
    child.once('error', (error) => {
      clearTimeout(deadline);
      resolve({ code: null, stdout, stderr: `${stderr}\ncannot run ${command}: ${error.message} (install it; .ci/run does)` });
    });
    child.once('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr });
    });
  });
  return {
    pid: child.pid,
    output: () => both,
    type: (line) => child.stdin?.write(`${line}\n`),
    done,
    stop: () => {
      kill();
      return done;
    },
  };
}

export function runTool(command: string, args: string[], timeoutS = 15): Promise<ToolRun> {
  return startTool(command, args, { timeoutS }).done;
}
